import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { collect, newEvents } from '../contract/contract.fixtures';
import { partitionOf } from '../stream-hash';
import { openSqliteEventStore } from './sqlite-event-store';

describe('SQLite event store: $all read filtered by type, subscriptions decoding only what is folded', () => {
  let dataDir: string;
  beforeEach(() => (dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-events-typed-'))));
  afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('yields only those types, in log order, across pages mostly made of other types', async () => {
    // Pages of 4 rows over runs of 9 other events: each page's scan crosses several runs.
    const store = openSqliteEventStore({ dataDir, pageSize: 4 });
    try {
      const expected: string[] = [];
      for (let run = 0; run < 6; run++) {
        await store.append(`other-${run}`, newEvents(9, 'Skipped'), 'no_stream');
        const kept = await store.append(`kept-${run}`, newEvents(1, 'Kept'), 'no_stream');
        expected.push(kept.position);
      }
      const types = new Set(['Kept', 'NeverRecorded']);
      const read = await collect(store.readAll({ types }));
      expect(read.map((event) => event.position)).to.deep.equal(expected);
      const later = await collect(store.readAll({ after: expected[1]!, maxCount: 3, types }));
      expect(later.map((event) => event.position)).to.deep.equal(expected.slice(2, 5));
      expect(await collect(store.readAll({ types: new Set() }))).to.deep.equal([]);
    } finally {
      await store.close();
    }
  });

  it('a subscription decodes only what its subscriber folds: the rest arrives without payload', async () => {
    const store = openSqliteEventStore({ dataDir, pageSize: 4 });
    try {
      await store.append('kept-1', newEvents(3, 'Kept'), 'no_stream');
      await store.append('other-1', newEvents(3, 'Skipped'), 'no_stream');
      const subscription = store.subscribeToAll({ decodes: (type) => type === 'Kept' });
      const received = [];
      for await (const message of subscription) {
        if (message.kind === 'caught-up') break;
        received.push(message.event);
      }
      await subscription.close();
      expect(received.map((e) => [e.type, e.data])).to.deep.equal([
        ['Kept', { n: 0 }],
        ['Kept', { n: 1 }],
        ['Kept', { n: 2 }],
        ['Skipped', null],
        ['Skipped', null],
        ['Skipped', null],
      ]);
      expect(received.map((e) => e.revision)).to.deep.equal([0, 1, 2, 0, 1, 2]);
    } finally {
      await store.close();
    }
  });

  it('a subscription by type skips the other types but reaches every position, stored and live', async () => {
    // Pages of 4 positions over runs of 9 other events: most windows hold no wanted event.
    const store = openSqliteEventStore({ dataDir, pageSize: 4 });
    const subscription = store.subscribeToAll({ types: new Set(['Kept']) });
    try {
      const kept: string[] = [];
      for (let run = 0; run < 5; run++) {
        await store.append(`other-${run}`, newEvents(9, 'Skipped'), 'no_stream');
        kept.push((await store.append(`kept-${run}`, newEvents(1, 'Kept'), 'no_stream')).position);
      }
      await store.append('other-tail', newEvents(6, 'Skipped'), 'no_stream');
      const iterator = subscription[Symbol.asyncIterator]();
      const pull = async (until: (event: { position: string }) => boolean) => {
        const seen = [];
        for (;;) {
          const { value } = await iterator.next();
          if (value.kind !== 'event') continue;
          seen.push(value.event);
          if (until(value.event)) return seen;
        }
      };
      const head = await store.headPosition();
      const stored = await pull((event) => event.position === head);
      expect(stored.filter((e) => e.type === 'Kept').map((e) => e.position)).to.deep.equal(kept);
      // Every skipped event yielded is the last of its window of 4: a few, not all 56.
      expect(stored.length).to.be.below(56 / 2);
      expect(stored.filter((e) => e.type === 'Kept').every((e) => e.data !== null)).to.equal(true);
      const live = (await store.append('kept-live', newEvents(1, 'Kept'), 'no_stream')).position;
      const later = await pull((event) => event.position === live);
      expect(later.map((e) => e.type)).to.deep.equal(['Kept']);
    } finally {
      await subscription.close();
      await store.close();
    }
  });
  it('a subscription by type and partition yields its own streams, a window end now and then, and reaches the head', async () => {
    const store = openSqliteEventStore({ dataDir, pageSize: 4 });
    try {
      const streams = Array.from({ length: 24 }, (_, i) => `kept-${i}`);
      for (const stream of streams) {
        await store.append(stream, newEvents(2, 'Kept'), 'no_stream');
        await store.append(`other-${stream}`, newEvents(1, 'Skipped'), 'no_stream');
      }
      const head = await store.headPosition();
      const positions = 24 * 3;
      const folded = new Set<string>();
      for (let index = 0; index < 4; index++) {
        const partition = { index, count: 4 };
        const mine = (id: string) => id.startsWith('kept-') && partitionOf(id, 4) === index;
        const subscription = store.subscribeToAll({
          types: new Set(['Kept']),
          decodes: (type, id) => type === 'Kept' && mine(id),
          partition,
        });
        const received = [];
        for await (const message of subscription) {
          if (message.kind === 'caught-up') break;
          received.push(message.event);
        }
        await subscription.close();
        const own = received.filter((event) => mine(event.streamId));
        const expected = streams.filter(mine).length * 2;
        expect(own, `partition ${index}`).to.have.length(expected);
        expect(own.every((event) => event.data !== null)).to.equal(true);
        // Of the others only the last row of a window of 4 comes, undecoded.
        const others = received.filter((event) => !mine(event.streamId));
        expect(others.length).to.be.at.most(positions / 4);
        expect(others.every((event) => event.data === null)).to.equal(true);
        expect(received.at(-1)?.position, 'reaches the head').to.equal(head);
        for (const event of own) folded.add(`${event.streamId}@${event.revision}`);
      }
      expect(folded.size, 'every Kept event in exactly one partition').to.equal(24 * 2);
    } finally {
      await store.close();
    }
  });
});
