import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSqliteDocumentStore } from '../../shared-kernel/document-store/sqlite/sqlite-document-store';
import type { DocumentStore } from '../../shared-kernel/document-store/port';
import {
  openSqliteEventStore,
  type SqliteEventStore,
} from '../../shared-kernel/event-store/sqlite';
import { openSqliteSearchIndex } from '../../shared-kernel/search-index/sqlite/sqlite-search-index';
import type { SearchIndex } from '../../shared-kernel/search-index/port';
import type { RecordedEvent } from '../../shared-kernel/events/envelope';
import { PRODUCT_SEARCH_INDEX } from '../../projections/read-models';
import { domainEventUpcasting } from '../../write-side/aggregates';
import { fillEventStore } from './fill-event-store';
import { plainUpserts } from './plain-upserts';
import { measureRebuild } from './rebuild-phase';
import { emptyTally, shopHistory } from './shop-history';

describe('bench projections phases (real SQLite stores)', function () {
  this.timeout(60_000);
  let dataDir: string;
  let eventStore: SqliteEventStore;
  let store: DocumentStore;
  let search: SearchIndex;
  const tally = emptyTally();
  const upcasting = domainEventUpcasting();

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-bench-proj-spec-'));
    eventStore = openSqliteEventStore({ dataDir, fileName: 'events.db' });
    store = openSqliteDocumentStore({ file: path.join(dataDir, 'read-models.db') });
    const file = path.join(dataDir, 'search.db');
    search = openSqliteSearchIndex({ file, declarations: [PRODUCT_SEARCH_INDEX] });
    await fillEventStore(
      eventStore,
      shopHistory({ events: 6_000, products: 150 }, tally),
      () => {},
      256,
    );
  });
  after(async () => {
    await eventStore.close();
    await store.close();
    await search.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('appends the whole generated history, every expected revision accepted', async () => {
    expect(eventStore.eventsBetween?.(null, await eventStore.headPosition())).to.equal(
      tally.events,
    );
    let stored = 0;
    for await (const event of eventStore.readAll()) {
      if (event.type === 'OrderPlaced') stored += 1;
    }
    expect(stored).to.equal(tally.byType.get('OrderPlaced'));
  });

  it('rebuilds a read model through rebuildProjection, counting the documents per batch', async () => {
    const deps = {
      eventStore,
      store,
      search,
      upcast: (e: RecordedEvent) => upcasting.upcast(e),
      batchSize: 1_000,
    };
    const figures = await measureRebuild('inventory', deps);
    expect(figures.events).to.equal(tally.events);
    // Batches of the types the model handles only: the rebuild reads no others.
    const handled = [...figures.types].reduce(
      (sum, type) => sum + (tally.byType.get(type) ?? 0),
      0,
    );
    expect(handled).to.be.below(tally.events);
    expect(figures.writesPerBatch.length).to.be.within(
      Math.ceil(handled / 1_000),
      Math.ceil(handled / 1_000) + 1, // and a last, empty one when the log ends on other types
    );
    expect(figures.rssAtQuarters).to.have.length(4);
    // One document per SKU: the live collection after the swap holds exactly the SKUs.
    expect(await store.count('inventory')).to.equal(150);
    const plain = plainUpserts({
      eventsFile: eventStore.file,
      dataDir,
      name: 'inventory',
      batchSize: 1_000,
      writesPerBatch: figures.writesPerBatch,
      types: figures.types,
    });
    expect(plain.events).to.equal(tally.events);
    expect(plain.read).to.equal(handled);
    expect(plain.documents).to.equal(figures.writesPerBatch.reduce((a, b) => a + b, 0));
  });
});
