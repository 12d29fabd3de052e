import { expect } from 'chai';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { openSqliteEventStore } from '../../shared-kernel/event-store/sqlite';
import { openSqliteSearchIndex } from '../../shared-kernel/search-index/sqlite/sqlite-search-index';
import { PRODUCT_SEARCH_INDEX } from '../read-models';
import { runStrata, seedShop, tempDataDir } from './cli.fixtures';

/**
 * The search read model lives in two stores: its folded state and the search index. A rebuild
 * must fill a new index target before the alias moves to it, or the swap empties the live index.
 */
describe('strata projections rebuild product-search (compiled CLI, SQLite stores)', function () {
  this.timeout(180_000);
  const products = 120;
  let dataDir: string;

  before(async () => {
    dataDir = tempDataDir();
    const eventStore = openSqliteEventStore({ dataDir });
    await seedShop(eventStore, { products, priceChanges: 2 });
    await eventStore.close();
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('swaps the alias to a new index that holds every product, and rolls back to the old one', async () => {
    const env = { STRATA_DATA_DIR: dataDir };
    for (const round of [1, 2]) {
      const run = await runStrata(['projections', 'rebuild', 'product-search', '--json'], env);
      expect(run.code, `round ${round}: ${run.stderr}`).to.equal(0);
      const index = openSqliteSearchIndex({
        file: path.join(dataDir, 'search.db'),
        declarations: [PRODUCT_SEARCH_INDEX],
      });
      try {
        const page = await index.search(PRODUCT_SEARCH_INDEX.name, { limit: 1 });
        expect(page.total, `products searchable after rebuild ${round}`).to.equal(products);
        const alias = await index.aliasState(PRODUCT_SEARCH_INDEX.name);
        expect(alias.live).to.not.equal(null);
        if (round === 2) expect(alias.previous).to.not.equal(null);
      } finally {
        await index.close();
      }
    }
  });
});
