import { expect } from 'chai';
import { keepSnapshotIfDue, type LoadedAggregate } from './load-aggregate';
import { STATE_BYTES_PER_EVENT } from '../../shared-kernel/state-spacing';
import { snapshotSpacing } from './snapshot-spacing';
import {
  openHandlerFixture,
  receiveStockRequest,
  type HandlerFixture,
} from './command-handler.fixtures';

/**
 * Snapshots of a big state are spaced by its size, so a snapshot costs at most
 * STATE_BYTES_PER_EVENT per event folded, however much the state holds (real SQLite store).
 */
describe('snapshot spacing follows the state size (real SQLite store)', () => {
  let fixture: HandlerFixture;
  beforeEach(() => (fixture = openHandlerFixture()));
  afterEach(() => fixture.close());

  const settled = () => new Promise((resolve) => setImmediate(() => setImmediate(resolve)));

  /** Folds `events` events one by one; returns the revisions a snapshot was written at. */
  async function snapshotsWhileFolding(events: number, stateOf: (revision: number) => unknown) {
    const first = await fixture.handler().execute(receiveStockRequest('SPACED-1', 1));
    const spacing = snapshotSpacing(5);
    const rule = { every: 5, version: 'spacing-spec' };
    const written: { revision: number; length: number }[] = [];
    const store = {
      ...fixture.store,
      writeSnapshot: async (
        streamId: string,
        snapshot: Parameters<typeof fixture.store.writeSnapshot>[1],
      ) => {
        const length = await fixture.store.writeSnapshot(streamId, snapshot);
        written.push({ revision: snapshot.revision, length });
        return length;
      },
    };
    let loaded: LoadedAggregate<unknown> = {
      state: null,
      revision: 0,
      position: first.position,
      snapshotRevision: 0,
    };
    for (let revision = 1; revision <= events; revision++) {
      loaded = { ...loaded, revision, state: stateOf(revision) };
      loaded = keepSnapshotIfDue(store, 'stock-SPACED-1', loaded, {
        rule,
        logger: fixture.logger,
        spacing,
      });
      await settled();
    }
    return written;
  }

  it('a small state is stored every N events', async () => {
    const written = await snapshotsWhileFolding(30, (revision) => ({ onHand: revision }));
    expect(written.map((w) => w.revision)).to.deep.equal([5, 10, 15, 20, 25, 30]);
  });

  it('a big state waits (its JSON length / STATE_BYTES_PER_EVENT) events after each', async () => {
    // Grows like a hot SKU's open reservations: about 40 bytes more per event.
    const reservations = (revision: number) =>
      Object.fromEntries(Array.from({ length: revision }, (_, n) => [`order-${n}`, n]));
    const written = await snapshotsWhileFolding(1_000, (revision) => ({
      reservations: reservations(revision),
    }));
    expect(written.length).to.be.greaterThan(3);
    expect(written.length).to.be.lessThan(1_000 / 5 / 2);
    for (let i = 1; i < written.length; i++) {
      const gap = written[i]!.revision - written[i - 1]!.revision;
      expect(gap).to.equal(Math.max(5, Math.ceil(written[i - 1]!.length / STATE_BYTES_PER_EVENT)));
    }
    // What the snapshots cost over the whole fold, per event: about STATE_BYTES_PER_EVENT.
    const bytes = written.reduce((sum, w) => sum + w.length, 0);
    expect(bytes / 1_000).to.be.lessThan(3 * STATE_BYTES_PER_EVENT);
  });
});
