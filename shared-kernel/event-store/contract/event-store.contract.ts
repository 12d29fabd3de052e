/**
 * The EventStore contract suite, written once and run against every adapter.
 *
 *   describeEventStoreContract(
 *     name: string,
 *     open: (context: Mocha.Context) => Promise<EventStoreFixture>,
 *   ): void
 *
 *   interface EventStoreFixture {
 *     store: EventStore;
 *     reopen?(): Promise<EventStore>;  // close `store`, open the same data again (durability test)
 *     cleanup(): Promise<void>;        // close whatever store is current, remove what open made
 *   }
 *
 * `open` runs once, in a `before` hook, with mocha's context, so an adapter whose server is not
 * configured can call `skipOrFail(context, reason, requiredInCi)` there. Every test writes to
 * streams with a random suffix and only looks at its own streams in `$all`, so the suite can
 * share a server with other data and with itself. Conventions an adapter must follow:
 * `ConcurrencyError.expected` is `String(expected)`, `.actual` is `no_stream` or the revision.
 */
import { expect } from 'chai';
import type { EventStore } from '../port';
import { describeAppendContract } from './append.contract';
import { describeConcurrencyContract } from './concurrency.contract';
import { collect, newEvents, uniqueStreamId } from './contract.fixtures';
import { describeReadContract } from './read.contract';
import { describeSnapshotContract } from './snapshot.contract';
import { describeSubscriptionContract } from './subscription.contract';

export interface EventStoreFixture {
  store: EventStore;
  reopen?(): Promise<EventStore>;
  cleanup(): Promise<void>;
}

export function describeEventStoreContract(
  name: string,
  open: (context: Mocha.Context) => Promise<EventStoreFixture>,
): void {
  describe(`EventStore contract: ${name}`, function () {
    let fixture: EventStoreFixture | undefined;
    let current: EventStore | undefined;
    const store = (): EventStore => {
      if (current === undefined) throw new Error(`${name}: the store did not open`);
      return current;
    };

    before(async function () {
      fixture = await open(this);
      current = fixture.store;
    });
    after(async () => {
      await fixture?.cleanup();
    });

    describeAppendContract(store);
    describeReadContract(store);
    describeConcurrencyContract(store);
    describeSubscriptionContract(store);
    describeSnapshotContract(store);

    describe('durability', () => {
      it('events and positions are the same after closing and reopening', async function () {
        if (!fixture?.reopen) this.skip();
        const streamId = uniqueStreamId('durable');
        const result = await store().append(streamId, newEvents(3), 'no_stream');
        const before = await collect(store().readStream(streamId));
        current = await fixture!.reopen!();
        const after = await collect(store().readStream(streamId));
        expect(after).to.deep.equal(before);
        expect(await store().headPosition()).to.equal(result.position);
      });
    });
  });
}
