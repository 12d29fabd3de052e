import { expect } from 'chai';
import type { EventStore, SubscriptionMessage } from '../port';
import {
  eventsOf,
  expectStrictlyIncreasing,
  newEvents,
  pullUntil,
  uniqueStreamId,
} from './contract.fixtures';

const caughtUpCount = (messages: SubscriptionMessage[]) =>
  messages.filter((message) => message.kind === 'caught-up').length;

export function describeSubscriptionContract(store: () => EventStore): void {
  describe('catch-up subscription to $all', () => {
    it('delivers stored events after the position (exclusive), reports caught-up, then live ones', async () => {
      const streamId = uniqueStreamId('sub');
      const skipped = newEvents(2);
      const first = await store().append(streamId, skipped, 'no_stream');
      const stored = newEvents(3);
      await store().append(streamId, stored, 1);
      const subscription = store().subscribeToAll({ after: first.position });
      try {
        const ours = new Set([streamId]);
        const caughtUp = await pullUntil(subscription, (m) => caughtUpCount(m) === 1);
        expect(eventsOf(caughtUp, ours).map((e) => e.eventId)).to.deep.equal(
          stored.map((e) => e.eventId),
        );
        const live = newEvents(2);
        await store().append(streamId, live, 4);
        const later = await pullUntil(subscription, (m) => eventsOf(m, ours).length === 2);
        expect(eventsOf(later, ours).map((e) => e.revision)).to.deep.equal([5, 6]);
        expect(caughtUpCount(later)).to.equal(0);
      } finally {
        await subscription.close();
      }
    });

    it('delivers the events its subscriber does not decode too, in order, the others whole', async () => {
      const streamId = uniqueStreamId('sub-decodes');
      const start = await store().headPosition();
      const appended = [
        ...newEvents(2, 'Folded'),
        ...newEvents(2, 'Skipped'),
        ...newEvents(1, 'Folded'),
      ];
      await store().append(streamId, appended, 'no_stream');
      const subscription = store().subscribeToAll({
        after: start,
        decodes: (type, stream) => type === 'Folded' && stream === streamId,
      });
      try {
        const ours = new Set([streamId]);
        const received = eventsOf(
          await pullUntil(subscription, (m) => eventsOf(m, ours).length === 5),
          ours,
        );
        expect(received.map((e) => e.eventId)).to.deep.equal(appended.map((e) => e.eventId));
        expectStrictlyIncreasing(received.map((e) => e.position));
        for (const [i, event] of received.entries()) {
          expect(event.type).to.equal(appended[i]!.type);
          // Skipped ones may come whole (a hint the store may ignore) or without their data.
          if (event.type === 'Folded' || event.data !== null) {
            expect(event.data, `event ${i}`).to.deep.equal(appended[i]!.data);
          }
        }
      } finally {
        await subscription.close();
      }
    });

    it('turns live under concurrent appends with no gap and no duplicate', async () => {
      const streams = [uniqueStreamId('sub-live'), uniqueStreamId('sub-live')];
      const ours = new Set(streams);
      const start = await store().headPosition();
      const expected: string[] = [];
      const eventsInRound = (i: number) => 1 + (i % 4);
      const appendSome = async (rounds: number) => {
        for (let i = 0; i < rounds; i += 1) {
          const events = newEvents(eventsInRound(i));
          expected.push(...events.map((e) => e.eventId));
          await store().append(streams[i % 2]!, events, 'any');
        }
      };
      const total = (rounds: number) =>
        Array.from({ length: rounds }, (_, i) => eventsInRound(i)).reduce((a, b) => a + b, 0);
      await appendSome(60);
      const storedBefore = new Set(expected);
      const subscription = store().subscribeToAll({ after: start });
      try {
        // Writers keep appending while the subscription catches up and after it went live.
        const everything = total(60) + 3 * total(40);
        const [received] = await Promise.all([
          pullUntil(
            subscription,
            (m) => caughtUpCount(m) === 1 && eventsOf(m, ours).length >= everything,
            30_000,
          ),
          appendSome(40),
          appendSome(40),
          appendSome(40),
        ]);
        const delivered = eventsOf(received, ours);
        // Everything stored before subscribing is delivered before caught-up is reported.
        const caughtUpAt = received.findIndex((m) => m.kind === 'caught-up');
        const storedDelivered = eventsOf(received.slice(0, caughtUpAt), ours).filter((e) =>
          storedBefore.has(e.eventId),
        );
        expect(storedDelivered).to.have.length(storedBefore.size);
        expect(caughtUpCount(received)).to.equal(1);
        expect(delivered.map((e) => e.eventId).sort()).to.deep.equal([...expected].sort());
        expectStrictlyIncreasing(
          received.flatMap((m) => (m.kind === 'event' ? [m.event.position] : [])),
        );
        for (const streamId of streams) {
          const revisions = delivered.filter((e) => e.streamId === streamId).map((e) => e.revision);
          expect(revisions).to.deep.equal(revisions.map((_, i) => i));
        }
      } finally {
        await subscription.close();
      }
    });

    it('from the current head reports caught-up at once, then sees the next append', async () => {
      const head = await store().headPosition();
      const subscription = store().subscribeToAll({ after: head });
      try {
        const first = await pullUntil(subscription, (m) => caughtUpCount(m) === 1);
        expect(first.filter((m) => m.kind === 'caught-up')).to.have.length(1);
        const streamId = uniqueStreamId('sub-head');
        const result = await store().append(streamId, newEvents(1), 'no_stream');
        const next = await pullUntil(
          subscription,
          (m) => eventsOf(m, new Set([streamId])).length === 1,
        );
        expect(eventsOf(next, new Set([streamId]))[0]!.position).to.equal(result.position);
      } finally {
        await subscription.close();
      }
    });

    it('close() ends an iteration that is waiting for live events', async () => {
      const subscription = store().subscribeToAll({ after: await store().headPosition() });
      const iterating = (async () => {
        let count = 0;
        for await (const _ of subscription) count += 1;
        return count;
      })();
      await new Promise((resolve) => setTimeout(resolve, 50));
      await subscription.close();
      expect(await iterating).to.be.at.least(1);
    });
  });
}
