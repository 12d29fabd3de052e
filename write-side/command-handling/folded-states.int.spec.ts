import { expect } from 'chai';
import { domainEventUpcasting } from '../aggregates';
import type { EventStore } from '../../shared-kernel/event-store/port';
import { createCommandHandler } from './command-handler';
import {
  openHandlerFixture,
  receiveStockRequest,
  type HandlerFixture,
} from './command-handler.fixtures';

/** The store with a count of its snapshot reads and of the events its stream reads yield. */
function counting(store: EventStore) {
  const counts = { snapshotReads: 0, eventsRead: 0 };
  const counted: EventStore = {
    ...store,
    readSnapshot: (streamId, version) => {
      counts.snapshotReads += 1;
      return store.readSnapshot(streamId, version);
    },
    async *readStream(streamId, options) {
      for await (const event of store.readStream(streamId, options)) {
        counts.eventsRead += 1;
        yield event;
      }
    },
  };
  return { counted, counts };
}

describe('the command handler keeps the states it folded (real SQLite store)', () => {
  let fixture: HandlerFixture;
  const upcasting = domainEventUpcasting();
  beforeEach(() => (fixture = openHandlerFixture()));
  afterEach(() => fixture.close());

  it('a command on a stream it wrote last reads no snapshot and no event', async () => {
    const { counted, counts } = counting(fixture.store);
    const handler = createCommandHandler({
      store: counted,
      upcasting,
      logger: fixture.logger,
      snapshotEvery: 5,
    });
    for (let n = 0; n < 12; n += 1) await handler.execute(receiveStockRequest('HOT-1', 1));
    expect(counts.snapshotReads).to.equal(1);
    expect(counts.eventsRead).to.equal(0);
    expect((await handler.load('stock', 'HOT-1')).state.onHand).to.equal(12);
  });

  it('folds what another writer appended after the state it kept, and decides on it', async () => {
    const { counted, counts } = counting(fixture.store);
    const options = { upcasting, logger: fixture.logger, snapshotEvery: 5 };
    const mine = createCommandHandler({ ...options, store: counted });
    const other = createCommandHandler({ ...options, store: fixture.store });
    await mine.execute(receiveStockRequest('HOT-2', 1));
    for (let n = 0; n < 3; n += 1) await other.execute(receiveStockRequest('HOT-2', 2));
    // Kept at revision 0; the next command must append at revision 3, not conflict forever.
    const result = await mine.execute(receiveStockRequest('HOT-2', 4));
    expect(result.streamRevision).to.equal(4);
    expect(counts.eventsRead).to.equal(3);
    expect(counts.snapshotReads).to.equal(1);
    const loaded = await mine.load('stock', 'HOT-2');
    expect(loaded.state.onHand).to.equal(11);
    expect(loaded.state).to.deep.equal((await other.load('stock', 'HOT-2')).state);
  });

  it('keeps no more streams than its capacity (the least recently used go)', async () => {
    const { counted, counts } = counting(fixture.store);
    const handler = createCommandHandler({
      store: counted,
      upcasting,
      logger: fixture.logger,
      snapshotEvery: 0,
      foldedStatesKept: 2,
    });
    for (const sku of ['CAP-1', 'CAP-2', 'CAP-3']) {
      await handler.execute(receiveStockRequest(sku, 1));
    }
    await handler.load('stock', 'CAP-3');
    await handler.load('stock', 'CAP-2');
    expect(counts.eventsRead).to.equal(0);
    await handler.load('stock', 'CAP-1');
    expect(counts.eventsRead).to.equal(1);
  });
});
