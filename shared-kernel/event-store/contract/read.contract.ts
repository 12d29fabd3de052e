import { expect } from 'chai';
import { ValidationError } from '../../errors';
import type { EventStore } from '../port';
import {
  caught,
  collect,
  expectStrictlyIncreasing,
  newEvents,
  uniqueStreamId,
} from './contract.fixtures';

const revisions = (events: Array<{ revision: number }>) => events.map((event) => event.revision);

export function describeReadContract(store: () => EventStore): void {
  describe('reading a stream', () => {
    let streamId: string;
    before(async () => {
      streamId = uniqueStreamId('read');
      await store().append(streamId, newEvents(5), 'no_stream');
      await store().append(streamId, newEvents(5), 4);
    });

    it('forwards from the start, every event in revision order', async () => {
      expect(revisions(await collect(store().readStream(streamId)))).to.deep.equal([
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
      ]);
    });

    it('forwards from a revision, inclusive, with maxCount', async () => {
      const events = await collect(store().readStream(streamId, { fromRevision: 3, maxCount: 4 }));
      expect(revisions(events)).to.deep.equal([3, 4, 5, 6]);
    });

    it('backwards from the end', async () => {
      const events = await collect(store().readStream(streamId, { direction: 'backwards' }));
      expect(revisions(events)).to.deep.equal([9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
    });

    it('backwards from a revision with maxCount', async () => {
      const events = await collect(
        store().readStream(streamId, { direction: 'backwards', fromRevision: 6, maxCount: 3 }),
      );
      expect(revisions(events)).to.deep.equal([6, 5, 4]);
    });

    it('from a revision past the end yields nothing', async () => {
      expect(await collect(store().readStream(streamId, { fromRevision: 10 }))).to.deep.equal([]);
    });

    it('an unknown stream yields nothing', async () => {
      expect(await collect(store().readStream(uniqueStreamId('nothing')))).to.deep.equal([]);
    });

    it('rejects a bad maxCount or fromRevision with a ValidationError naming it', async () => {
      for (const [options, field] of [
        [{ maxCount: 0 }, 'maxCount'],
        [{ fromRevision: -1 }, 'fromRevision'],
        [{ fromRevision: 1.5 }, 'fromRevision'],
      ] as const) {
        const error = await caught(() => collect(store().readStream(streamId, options)));
        expect(error, field).to.be.instanceOf(ValidationError);
        expect((error as ValidationError).message).to.contain(field);
      }
    });
  });

  describe('reading a stream up to a time (until: recordedAt <= t)', () => {
    it('returns the stream as it was at that time, forwards and backwards', async () => {
      const streamId = uniqueStreamId('until');
      await store().append(streamId, newEvents(2), 'no_stream');
      await new Promise((resolve) => setTimeout(resolve, 30));
      await store().append(streamId, newEvents(2), 1);
      const all = await collect(store().readStream(streamId));
      const cut = new Date(all[1]!.recordedAt);
      expect(Date.parse(all[2]!.recordedAt)).to.be.greaterThan(cut.getTime());
      expect(revisions(await collect(store().readStream(streamId, { until: cut })))).to.deep.equal([
        0, 1,
      ]);
      const backwards = store().readStream(streamId, { until: cut, direction: 'backwards' });
      expect(revisions(await collect(backwards))).to.deep.equal([1, 0]);
      const before = new Date(Date.parse(all[0]!.recordedAt) - 1);
      expect(await collect(store().readStream(streamId, { until: before }))).to.deep.equal([]);
      const later = new Date(Date.parse(all[3]!.recordedAt) + 1000);
      expect(await collect(store().readStream(streamId, { until: later }))).to.have.length(4);
    });
  });

  describe('reading $all', () => {
    it('after a position (exclusive), in one total order, with maxCount', async () => {
      const start = await store().headPosition();
      const a = uniqueStreamId('all-a');
      const b = uniqueStreamId('all-b');
      const appended = [
        ...(await append(store(), a, 3)),
        ...(await append(store(), b, 2)),
        ...(await append(store(), a, 1)),
      ];
      const read = (await collect(store().readAll({ after: start }))).filter(
        (event) => event.streamId === a || event.streamId === b,
      );
      expect(read.map((event) => event.eventId)).to.deep.equal(appended);
      expectStrictlyIncreasing(read.map((event) => event.position));
      const firstTwo = await collect(store().readAll({ after: start, maxCount: 2 }));
      expect(firstTwo).to.have.length(2);
      const afterFirst = await collect(
        store().readAll({ after: firstTwo[0]!.position, maxCount: 1 }),
      );
      expect(afterFirst[0]!.position).to.equal(firstTwo[1]!.position);
    });

    it('with types, yields every event of those types in order (others may be left out)', async () => {
      const start = await store().headPosition();
      const stream = uniqueStreamId('all-types');
      await store().append(
        stream,
        [...newEvents(2, 'Kept'), ...newEvents(3, 'Other')],
        'no_stream',
      );
      await store().append(stream, newEvents(1, 'Kept'), 1 + 3);
      const ours = (
        await collect(store().readAll({ after: start, types: new Set(['Kept']) }))
      ).filter((event) => event.streamId === stream);
      expect(ours.filter((event) => event.type === 'Kept').map((e) => e.revision)).to.deep.equal([
        0, 1, 5,
      ]);
      const two = await collect(
        store().readAll({ after: start, maxCount: 2, types: new Set(['Kept']) }),
      );
      expect(two).to.have.length(2);
    });

    it('headPosition is the position of the newest event', async () => {
      const result = await store().append(uniqueStreamId('head'), newEvents(2), 'no_stream');
      const head = await store().headPosition();
      expect(head !== null && head >= result.position).to.equal(true);
      const after = await collect(store().readAll({ after: head }));
      expect(after.every((event) => event.position > head!)).to.equal(true);
    });

    it('ping answers', async () => {
      await store().ping();
    });
  });
}

async function append(store: EventStore, streamId: string, count: number): Promise<string[]> {
  const events = newEvents(count);
  await store.append(streamId, events, 'any');
  return events.map((event) => event.eventId);
}
