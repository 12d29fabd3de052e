import { expect } from 'chai';
import { ConcurrencyError, ValidationError } from '../../errors';
import type { EventStore, ExpectedRevision } from '../port';
import {
  caught,
  collect,
  newEvent,
  newEvents,
  readStreamIds,
  uniqueStreamId,
} from './contract.fixtures';

type StreamState = 'absent' | 'at n' | 'at another revision';

/** The stream is prepared at revision N (events 0..2) for "at n"; the exact kind expects N. */
const N = 2;

const MATRIX: Array<{
  kind: string;
  expected: (state: StreamState) => ExpectedRevision;
  accepts: StreamState[];
}> = [
  { kind: 'any', expected: () => 'any', accepts: ['absent', 'at n', 'at another revision'] },
  { kind: 'no_stream', expected: () => 'no_stream', accepts: ['absent'] },
  {
    kind: 'stream_exists',
    expected: () => 'stream_exists',
    accepts: ['at n', 'at another revision'],
  },
  { kind: 'exact n', expected: () => N, accepts: ['at n'] },
];

const REVISION_OF: Record<StreamState, number | null> = {
  absent: null,
  'at n': N,
  'at another revision': N + 3,
};

export function describeAppendContract(store: () => EventStore): void {
  describe('expected revision: kind x stream state', () => {
    for (const row of MATRIX) {
      for (const state of ['absent', 'at n', 'at another revision'] as StreamState[]) {
        const accepted = row.accepts.includes(state);
        it(`${row.kind} on a stream ${state}: ${accepted ? 'appends' : 'ConcurrencyError, nothing stored'}`, async () => {
          const streamId = uniqueStreamId('matrix');
          const revision = REVISION_OF[state];
          if (revision !== null)
            await store().append(streamId, newEvents(revision + 1), 'no_stream');
          const before = await readStreamIds(store(), streamId);
          const expected = row.expected(state);
          if (accepted) {
            const result = await store().append(streamId, [newEvent(), newEvent()], expected);
            expect(result.streamRevision).to.equal((revision ?? -1) + 2);
            expect(await readStreamIds(store(), streamId)).to.have.length(before.length + 2);
          } else {
            const error = await caught(() => store().append(streamId, [newEvent()], expected));
            expect(error).to.be.instanceOf(ConcurrencyError);
            expect((error as ConcurrencyError).streamId).to.equal(streamId);
            expect((error as ConcurrencyError).expected).to.equal(String(expected));
            expect((error as ConcurrencyError).actual).to.equal(
              revision === null ? 'no_stream' : String(revision),
            );
            expect(await readStreamIds(store(), streamId)).to.deep.equal(before);
          }
        });
      }
    }
  });

  describe('append results and atomicity', () => {
    it('returns the new revision and the $all position of the last event, as read back', async () => {
      const streamId = uniqueStreamId('result');
      const first = await store().append(streamId, newEvents(3), 'no_stream');
      const second = await store().append(streamId, newEvents(2), 2);
      expect(first.streamId).to.equal(streamId);
      expect(first.streamRevision).to.equal(2);
      expect(second.streamRevision).to.equal(4);
      const events = await collect(store().readStream(streamId));
      expect(events.map((event) => event.revision)).to.deep.equal([0, 1, 2, 3, 4]);
      expect(events[2]!.position).to.equal(first.position);
      expect(events[4]!.position).to.equal(second.position);
      expect(second.position > first.position).to.equal(true);
    });

    it('stores type, data and metadata exactly as given', async () => {
      const streamId = uniqueStreamId('roundtrip');
      const event = newEvent('PriceChanged', {
        price: { amount: 1999, currency: 'EUR' },
        tags: ['a', 'ü'],
        none: null,
      });
      await store().append(streamId, [event], 'any');
      const [stored] = await collect(store().readStream(streamId));
      expect(stored).to.deep.include({
        eventId: event.eventId,
        type: event.type,
        streamId,
        revision: 0,
      });
      expect(stored!.data).to.deep.equal(event.data);
      expect(stored!.metadata).to.deep.equal(event.metadata);
      expect(Number.isNaN(Date.parse(stored!.recordedAt))).to.equal(false);
    });
  });

  describe('idempotent retry', () => {
    it('a retried no_stream append returns the original result and stores nothing twice', async () => {
      const streamId = uniqueStreamId('retry');
      const events = newEvents(2);
      const original = await store().append(streamId, events, 'no_stream');
      const retried = await store().append(streamId, events, 'no_stream');
      expect(retried).to.deep.equal(original);
      expect(await readStreamIds(store(), streamId)).to.deep.equal(events.map((e) => e.eventId));
    });

    it('a retried exact-revision append succeeds even after the stream moved on', async () => {
      const streamId = uniqueStreamId('retry');
      await store().append(streamId, newEvents(2), 'no_stream');
      const events = newEvents(3);
      const original = await store().append(streamId, events, 1);
      await store().append(streamId, newEvents(1), 4);
      expect(await store().append(streamId, events, 1)).to.deep.equal(original);
      expect(await readStreamIds(store(), streamId)).to.have.length(6);
    });
  });

  describe('bad input is a ValidationError and stores nothing', () => {
    const cases: Array<[string, string, unknown, unknown]> = [
      ['an empty append', 'events', [], 'any'],
      ['an invalid stream id', 'streamId', [newEvent()], 'any'],
      ['expected revision -1', 'expectedRevision', [newEvent()], -1],
      ['expected revision 1.5', 'expectedRevision', [newEvent()], 1.5],
      ["expected revision 'foo'", 'expectedRevision', [newEvent()], 'foo'],
      [
        'an event id that is not a UUID',
        'events[0].eventId',
        [{ ...newEvent(), eventId: 'x' }],
        'any',
      ],
      ['the same event id twice', 'events[1].eventId', ((e) => [e, e])(newEvent()), 'any'],
    ];
    for (const [label, field, events, expected] of cases) {
      it(`${label} names ${field}`, async () => {
        const streamId = field === 'streamId' ? '$bad stream' : uniqueStreamId('bad');
        const error = await caught(() =>
          store().append(streamId, events as never, expected as ExpectedRevision),
        );
        expect(error).to.be.instanceOf(ValidationError);
        expect((error as ValidationError).errors.map((e) => e.field)).to.include(field);
        if (field !== 'streamId') expect(await readStreamIds(store(), streamId)).to.deep.equal([]);
      });
    }
  });
}
