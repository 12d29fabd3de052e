import { EventStoreDBClient, jsonEvent } from '@eventstore/db-client';
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { skipOrFail } from '../../../test/support/availability';
import { createLogger } from '../../logging/logger';
import { describeEventStoreContract } from '../contract/event-store.contract';
import { collect, newEvents, pullUntil, uniqueStreamId } from '../contract/contract.fixtures';
import type { EventStore } from '../port';
import { openEsdbEventStore } from './esdb-event-store';

/** The server is not available everywhere: `make test-stack` sets ESDB_URL after starting it. */
const url = process.env.ESDB_URL;
const reason = 'ESDB_URL is not set: EventStoreDB suites not run (make test-stack runs them)';
const logger = createLogger({ service: 'esdb-int-spec', level: 'error', format: 'json' });

describeEventStoreContract('EventStoreDB', async (context) => {
  if (url === undefined) skipOrFail(context, reason, false);
  let store = openEsdbEventStore({ url, logger });
  await store.ping();
  return {
    store,
    async reopen() {
      await store.close();
      store = openEsdbEventStore({ url, logger });
      return store;
    },
    cleanup: () => store.close(),
  };
});

describe('EventStoreDB adapter: how events are stored on the server', function () {
  let store: EventStore;
  let raw: EventStoreDBClient;

  before(async function () {
    if (url === undefined) skipOrFail(this, reason, false);
    store = openEsdbEventStore({ url, logger });
    raw = EventStoreDBClient.connectionString(url);
    await store.ping();
  });
  after(async () => {
    await store?.close();
    await raw?.dispose();
  });

  it('uses our event id as the server event id and our metadata as its JSON metadata', async () => {
    const streamId = uniqueStreamId('esdb-raw');
    const events = newEvents(2);
    await store.append(streamId, events, 'no_stream');
    const stored = await collect(raw.readStream(streamId));
    expect(stored.map((resolved) => resolved.event?.id)).to.deep.equal(
      events.map((e) => e.eventId),
    );
    expect(stored[0]!.event!.metadata).to.deep.equal(events[0]!.metadata);
    expect(stored[0]!.event!.isJson).to.equal(true);
  });

  it("keeps the server's own events ($metadata) out of $all reads, the head and subscriptions", async () => {
    const streamId = uniqueStreamId('esdb-system');
    const start = await store.headPosition();
    const appended = await store.append(streamId, newEvents(1), 'no_stream');
    // Stream metadata is stored as a `$metadata` event in `$$<stream>`, after our event.
    await raw.setStreamMetadata(streamId, { maxAge: 86_400 });
    expect(await store.headPosition()).to.equal(appended.position);
    const read = await collect(store.readAll({ after: start }));
    expect(read.filter((e) => e.type.startsWith('$') || e.streamId.startsWith('$'))).to.deep.equal(
      [],
    );
    const subscription = store.subscribeToAll({ after: start });
    try {
      const messages = await pullUntil(subscription, (m) => m.some((x) => x.kind === 'caught-up'));
      const seen = messages.flatMap((m) => (m.kind === 'event' ? [m.event] : []));
      expect(seen.map((e) => e.streamId)).to.include(streamId);
      expect(
        seen.filter((e) => e.type.startsWith('$') || e.streamId.startsWith('$')),
      ).to.deep.equal([]);
    } finally {
      await subscription.close();
    }
  });

  it("positions are 32 lowercase hex digits that decode to the server's (commit, prepare)", async () => {
    const streamId = uniqueStreamId('esdb-position');
    const result = await store.append(streamId, newEvents(1), 'no_stream');
    const [resolved] = await collect(raw.readStream(streamId));
    const { commit, prepare } = resolved!.event!.position!;
    expect(result.position).to.equal(
      commit.toString(16).padStart(16, '0') + prepare.toString(16).padStart(16, '0'),
    );
  });

  it("a multi-event append answers the last event's position, the same in stream and $all reads", async () => {
    const streamId = uniqueStreamId('esdb-batch');
    const start = await store.headPosition();
    const result = await store.append(streamId, newEvents(4), 'no_stream');
    const inStream = (await collect(store.readStream(streamId))).map((e) => e.position);
    const inAll = (await collect(store.readAll({ after: start })))
      .filter((e) => e.streamId === streamId)
      .map((e) => e.position);
    expect(inAll).to.deep.equal(inStream);
    expect(result.position).to.equal(inStream[3]);
  });

  it('keeps foreign events out: other streams filtered on the server, undecodable ones skipped and counted', async () => {
    const prefix = `esdbfx${randomUUID().slice(0, 8)}-`;
    const skipped: string[] = [];
    const own = openEsdbEventStore({
      url: url as string,
      logger,
      streamPrefixes: [prefix],
      onForeignEvent: (report) => skipped.push(report.eventId),
    });
    try {
      const start = await store.headPosition();
      const first = await own.append(`${prefix}1`, newEvents(1), 'no_stream');
      // Another application's stream, then an event in one of ours that is not Strata's.
      await raw.appendToStream(
        `invoice-${randomUUID()}`,
        jsonEvent({ type: 'InvoiceRaised', data: {} }),
      );
      const emitted = jsonEvent({ type: 'Emitted', data: { by: 'a server-side projection' } });
      await raw.appendToStream(`${prefix}1`, emitted);
      await raw.appendToStream(
        `invoice-${randomUUID()}`,
        jsonEvent({ type: 'InvoicePaid', data: {} }),
      );
      const last = await own.append(`${prefix}2`, newEvents(1), 'no_stream');
      await raw.appendToStream(
        `invoice-${randomUUID()}`,
        jsonEvent({ type: 'InvoiceVoided', data: {} }),
      );

      expect(await own.headPosition(), 'the head is the newest of ours').to.equal(last.position);
      const read = await collect(own.readAll({ after: start }));
      expect(read.map((e) => e.position)).to.deep.equal([first.position, last.position]);
      const one = await collect(own.readAll({ after: first.position, maxCount: 1 }));
      expect(
        one.map((e) => e.position),
        'maxCount pages past foreign events',
      ).to.deep.equal([last.position]);
      const subscription = own.subscribeToAll({ after: start });
      try {
        const messages = await pullUntil(subscription, (m) =>
          m.some((x) => x.kind === 'caught-up'),
        );
        const seen = messages.flatMap((m) => (m.kind === 'event' ? [m.event.position] : []));
        expect(seen).to.deep.equal([first.position, last.position]);
      } finally {
        await subscription.close();
      }
      expect(skipped).to.include(emitted.id);
    } finally {
      await own.close();
    }
  });
});
