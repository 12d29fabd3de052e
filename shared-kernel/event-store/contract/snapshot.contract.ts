import { expect } from 'chai';
import { ValidationError } from '../../errors';
import type { EventStore, Snapshot } from '../port';
import { caught, collect, newEvents, pullUntil, uniqueStreamId } from './contract.fixtures';

export function describeSnapshotContract(store: () => EventStore): void {
  describe('snapshots', () => {
    const state = { onHand: 7, nested: { list: [1, 'two', null], flag: true }, text: 'é €' };
    async function streamWithEvents(prefix: string, count = 3) {
      const streamId = uniqueStreamId(prefix);
      const { position } = await store().append(streamId, newEvents(count), 'no_stream');
      return { streamId, position };
    }
    const snapshotAt = (revision: number, position: string, version = 'v1'): Snapshot => ({
      revision,
      position,
      version,
      state: { ...state, revision },
    });

    it('reads back the stored snapshot, state intact, only for its own version', async () => {
      const { streamId, position } = await streamWithEvents('snap');
      expect(await store().readSnapshot(streamId, 'v1')).to.equal(null);
      const length = await store().writeSnapshot(streamId, snapshotAt(2, position));
      expect(length, "the state's JSON length").to.equal(
        JSON.stringify({ ...state, revision: 2 }).length,
      );
      expect(await store().readSnapshot(streamId, 'v1')).to.deep.equal(snapshotAt(2, position));
      expect(await store().readSnapshot(streamId, 'v2')).to.equal(null);
      expect(await store().readSnapshot(uniqueStreamId('snap-none'), 'v1')).to.equal(null);
    });

    it('a newer snapshot replaces the older; another version replaces it too', async () => {
      const { streamId, position } = await streamWithEvents('snap-newer', 6);
      await store().writeSnapshot(streamId, snapshotAt(2, position));
      await store().writeSnapshot(streamId, snapshotAt(5, position));
      expect((await store().readSnapshot(streamId, 'v1'))?.revision).to.equal(5);
      await store().writeSnapshot(streamId, snapshotAt(3, position, 'v2'));
      expect(await store().readSnapshot(streamId, 'v1')).to.equal(null);
      expect((await store().readSnapshot(streamId, 'v2'))?.revision).to.equal(3);
    });

    it('is never an event: not in the stream, not in $all, not delivered by a subscription', async () => {
      const head = await store().headPosition();
      const { streamId, position } = await streamWithEvents('snap-hidden', 2);
      await store().writeSnapshot(streamId, snapshotAt(1, position));
      const marker = uniqueStreamId('snap-marker');
      await store().append(marker, newEvents(1), 'no_stream');
      expect(await collect(store().readStream(streamId))).to.have.length(2);
      const all = await collect(store().readAll({ after: head }));
      const ours = all.filter((e) => e.streamId.includes(streamId));
      expect(ours.map((e) => e.streamId)).to.deep.equal([streamId, streamId]);
      const leaked = all.filter(
        (e) => e.type === 'StrataSnapshot' || e.streamId.startsWith('snapshot-'),
      );
      expect(leaked).to.deep.equal([]);
      const subscription = store().subscribeToAll({ after: head });
      try {
        const seen = await pullUntil(subscription, (messages) =>
          messages.some((m) => m.kind === 'event' && m.event.streamId === marker),
        );
        const events = seen.flatMap((m) => (m.kind === 'event' ? [m.event] : []));
        expect(events.filter((e) => e.streamId.includes(streamId))).to.have.length(2);
        expect(events.some((e) => e.streamId.startsWith('snapshot-'))).to.equal(false);
      } finally {
        await subscription.close();
      }
    });

    it('refuses a bad snapshot with a ValidationError naming each field, storing nothing', async () => {
      const { streamId, position } = await streamWithEvents('snap-bad');
      const cyclic: Record<string, unknown> = {};
      cyclic.self = cyclic;
      const bad = { revision: -1, position, version: 'has space', state: cyclic } as Snapshot;
      const error = await caught(() => store().writeSnapshot(streamId, bad));
      expect(error).to.be.instanceOf(ValidationError);
      expect((error as ValidationError).errors.map((e) => e.field)).to.deep.equal([
        'revision',
        'version',
        'state',
      ]);
      const badStream = await caught(() => store().writeSnapshot('$x', snapshotAt(0, position)));
      expect(badStream).to.be.instanceOf(ValidationError);
      expect(await store().readSnapshot(streamId, 'has space')).to.equal(null);
    });
  });
}
