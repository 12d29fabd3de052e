import { expect } from 'chai';
import { ConcurrencyError } from '../../errors';
import type { EventStore } from '../port';
import {
  collect,
  expectStrictlyIncreasing,
  newEvent,
  newEvents,
  uniqueStreamId,
} from './contract.fixtures';

const WRITERS = 16;
const APPENDS_PER_WRITER = 20;
const STREAMS = 4;

export function describeConcurrencyContract(store: () => EventStore): void {
  describe('concurrent appends', () => {
    it(`${WRITERS} writers x ${APPENDS_PER_WRITER} appends: increasing positions, contiguous revisions`, async () => {
      const start = await store().headPosition();
      const streams = Array.from({ length: STREAMS }, () => uniqueStreamId('concurrent'));
      const writer = async (w: number) => {
        for (let i = 0; i < APPENDS_PER_WRITER; i += 1) {
          const events = newEvents(1 + ((w + i) % 3));
          await store().append(streams[(w + i) % STREAMS]!, events, 'any');
        }
      };
      await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));

      const ours = new Set(streams);
      const all = (await collect(store().readAll({ after: start }))).filter((e) =>
        ours.has(e.streamId),
      );
      expectStrictlyIncreasing(all.map((event) => event.position));
      let total = 0;
      for (const streamId of streams) {
        const events = await collect(store().readStream(streamId));
        total += events.length;
        expect(events.map((e) => e.revision)).to.deep.equal(events.map((_, i) => i));
        // A stream's order is its order in $all too.
        const inAll = all.filter((e) => e.streamId === streamId).map((e) => e.eventId);
        expect(inAll).to.deep.equal(events.map((e) => e.eventId));
      }
      expect(total).to.equal(all.length);
      expect(new Set(all.map((e) => e.eventId)).size).to.equal(all.length);
    });

    it('of many appends racing with the same exact revision, exactly one wins', async () => {
      const streamId = uniqueStreamId('race');
      await store().append(streamId, newEvents(1), 'no_stream');
      const outcomes = await Promise.allSettled(
        Array.from({ length: 12 }, () => store().append(streamId, [newEvent(), newEvent()], 0)),
      );
      const won = outcomes.filter((o) => o.status === 'fulfilled');
      const lost = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
      expect(won).to.have.length(1);
      expect(lost).to.have.length(11);
      for (const error of lost) expect(error).to.be.instanceOf(ConcurrencyError);
      expect(await collect(store().readStream(streamId))).to.have.length(3);
    });

    it('racing no_stream appends create the stream once', async () => {
      const streamId = uniqueStreamId('race');
      const outcomes = await Promise.allSettled(
        Array.from({ length: 8 }, () => store().append(streamId, newEvents(2), 'no_stream')),
      );
      expect(outcomes.filter((o) => o.status === 'fulfilled')).to.have.length(1);
      expect(await collect(store().readStream(streamId))).to.have.length(2);
    });
  });
}
