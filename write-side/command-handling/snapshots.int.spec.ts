import { expect } from 'chai';
import fc from 'fast-check';
import type { Decider } from '../../shared-kernel/decider';
import type { DomainEvent } from '../../shared-kernel/events/envelope';
import { newId } from '../../shared-kernel/ids';
import { aggregates, domainEventUpcasting, type AggregateType } from '../aggregates';
import { createCommandHandler } from './command-handler';
import { commandsFor, historyOf, nextCommandFor } from './generated-histories.fixtures';
import { loadAggregate } from './load-aggregate';
import { toNewEvents } from './new-events';
import { snapshotVersionOf } from './snapshot-version';
import {
  openHandlerFixture,
  receiveStockRequest,
  testContext,
  type HandlerFixture,
} from './command-handler.fixtures';

/*
 * A snapshot may never change a decision. For every aggregate, over generated histories stored
 * in a real store: the state loaded from a snapshot taken at any revision plus the events after
 * it equals the state folded from the first event, and the next command decides the same way
 * on both.
 */
describe('snapshots never change a state or a decision (real SQLite store)', () => {
  let fixture: HandlerFixture;
  const upcasting = domainEventUpcasting();
  beforeEach(() => (fixture = openHandlerFixture()));
  afterEach(() => fixture.close());

  const decide = (
    decider: Decider<unknown, unknown, DomainEvent>,
    command: unknown,
    state: unknown,
  ) => {
    try {
      return { events: decider.decide(command, state) };
    } catch (error) {
      return { refused: (error as Error).constructor.name, message: (error as Error).message };
    }
  };

  for (const type of Object.keys(aggregates) as AggregateType[]) {
    it(`${type}: snapshot at any revision + the events after it = the full fold`, async () => {
      const decider = aggregates[type].decider as unknown as Decider<unknown, unknown, DomainEvent>;
      const version = snapshotVersionOf(type);
      const logger = fixture.logger;
      await fc.assert(
        fc.asyncProperty(
          commandsFor[type],
          fc.nat(),
          nextCommandFor[type],
          async (commands, cutSeed, next) => {
            const history = historyOf(type, commands);
            if (history.length === 0) return;
            const streamId = `${aggregates[type].streamPrefix}${newId()}`;
            await fixture.store.append(
              streamId,
              toNewEvents(history, newId(), testContext(), upcasting),
              'no_stream',
            );
            const off = { rule: { every: 0, version }, logger };
            const on = { rule: { every: 1, version }, logger };
            const full = await loadAggregate(fixture.store, upcasting, decider, streamId, off);
            const cut = cutSeed % history.length;
            const events = await fixture.streamEvents(streamId);
            const upTo = events.slice(0, cut + 1).map((e) => upcasting.upcast(e));
            let state = decider.initialState;
            for (const e of upTo) state = decider.evolve(state, { type: e.type, data: e.data });
            const position = events[cut]!.position;
            await fixture.store.writeSnapshot(streamId, {
              revision: cut,
              position,
              version,
              state,
            });
            const fromSnapshot = await loadAggregate(
              fixture.store,
              upcasting,
              decider,
              streamId,
              on,
            );
            expect(fromSnapshot.snapshotRevision).to.equal(cut);
            expect(fromSnapshot.state).to.deep.equal(full.state);
            expect(fromSnapshot.revision).to.equal(full.revision);
            expect(fromSnapshot.position).to.equal(full.position);
            expect(decide(decider, next, fromSnapshot.state)).to.deep.equal(
              decide(decider, next, full.state),
            );
          },
        ),
        { numRuns: 40 },
      );
    });
  }

  it('the handler stores one every N events and loads from it; another version is ignored', async () => {
    const logger = fixture.logger;
    const handler = createCommandHandler({
      store: fixture.store,
      upcasting,
      logger,
      snapshotEvery: 0,
    });
    const every5 = createCommandHandler({
      store: fixture.store,
      upcasting,
      logger: fixture.logger,
      snapshotEvery: 5,
    });
    await handler.execute(receiveStockRequest('SNAP-1', 1));
    for (let n = 0; n < 12; n += 1) await every5.execute(receiveStockRequest('SNAP-1', 1));
    await new Promise((resolve) => setImmediate(resolve));
    const stored = await fixture.store.readSnapshot('stock-SNAP-1', snapshotVersionOf('stock'));
    expect(stored?.revision).to.be.within(5, 12);
    const loaded = await every5.load('stock', 'SNAP-1');
    expect(loaded.snapshotRevision).to.equal(stored?.revision);
    expect(loaded.state).to.deep.equal((await handler.load('stock', 'SNAP-1')).state);
    expect(loaded.state.onHand).to.equal(13);
    // A snapshot under another version (an older evolve) is never used.
    await fixture.store.writeSnapshot('stock-SNAP-1', {
      ...stored!,
      version: 'stock.0.stale',
      state: { ...loaded.state, onHand: 999 },
    });
    // A new handler: `every5` answers from the state it folded last and reads no snapshot.
    const restarted = createCommandHandler({
      store: fixture.store,
      upcasting,
      logger,
      snapshotEvery: 5,
    });
    const fresh = await restarted.load('stock', 'SNAP-1');
    expect(fresh.snapshotRevision).to.equal(-1);
    expect(fresh.state.onHand).to.equal(13);
  });

  it('a snapshot that cannot be stored or read fails no command', async () => {
    const broken = {
      ...fixture.store,
      readSnapshot: () => Promise.reject(new Error('disk on fire')),
      writeSnapshot: () => Promise.reject(new Error('disk on fire')),
    };
    const handler = createCommandHandler({
      store: broken,
      upcasting,
      logger: fixture.logger,
      snapshotEvery: 1,
    });
    for (let n = 0; n < 3; n += 1) await handler.execute(receiveStockRequest('SNAP-2', 2));
    await new Promise((resolve) => setImmediate(resolve));
    expect((await handler.load('stock', 'SNAP-2')).state.onHand).to.equal(6);
    expect(fixture.logLines.some((line) => line.includes('snapshot not stored'))).to.equal(true);
    expect(fixture.logLines.some((line) => line.includes('snapshot unreadable'))).to.equal(true);
  });
});
