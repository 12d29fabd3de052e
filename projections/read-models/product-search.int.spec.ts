import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SearchIndex } from '../../shared-kernel/search-index/port';
import { openSqliteSearchIndex } from '../../shared-kernel/search-index/sqlite/sqlite-search-index';
import {
  PRODUCT_SEARCH_INDEX,
  productSearchStateProjection,
  searchIndexOperation,
} from './product-search';
import { docIn, eur, eventLog, project } from './read-model.fixtures';

/**
 * The declaration and mapping against the real embedded index (SQLite FTS5): what the search
 * processor will do with each state document, pushed with the event position as its version.
 */
describe('product search over the SQLite FTS5 index', () => {
  let dir: string;
  let index: SearchIndex;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'strata-h8-search-'));
    index = openSqliteSearchIndex({
      file: join(dir, 'search.db'),
      declarations: [PRODUCT_SEARCH_INDEX],
    });
    await index.swapAlias('products', await index.createTarget('products'));
    const record = eventLog();
    const product = (
      sku: string,
      name: string,
      description: string,
      category: string,
      price: number,
    ) =>
      record(`product-${sku}`, 'ProductCreated', {
        productId: `p-${sku}`,
        sku,
        name,
        description,
        category,
        price: eur(price),
        attributes: {},
      });
    const events = [
      product('MUG-1', 'Mug', 'Stoneware', 'kitchen', 1200),
      product('CUP-1', 'Espresso cup', 'Fits under any mug tree', 'kitchen', 800),
      product('LAMP-1', 'Desk lamp', 'Warm light', 'office', 3000),
      record('stock-GHOST-1', 'StockReceived', { sku: 'GHOST-1', quantity: 2, reference: null }),
      record('stock-MUG-1', 'StockReceived', { sku: 'MUG-1', quantity: 3, reference: null }),
      record('stock-LAMP-1', 'StockReceived', { sku: 'LAMP-1', quantity: 1, reference: null }),
      record('order-o1', 'OrderConfirmed', {
        orderId: 'o1',
        confirmedAt: 't',
        lines: [{ productId: 'p-LAMP-1', sku: 'LAMP-1', quantity: 1 }],
      }),
    ];
    const state = productSearchStateProjection();
    const docs = project(state, events);
    const last = events[events.length - 1]!.position;
    // Each state write becomes an index operation at its event's position, as the processor does.
    const ops = ['MUG-1', 'CUP-1', 'LAMP-1', 'GHOST-1'].map((sku) =>
      searchIndexOperation(
        {
          collection: 'product_search_state',
          id: sku,
          doc: docIn(docs, 'product_search_state', sku),
        },
        last,
      ),
    );
    expect(await index.bulk('products', ops)).to.deep.equal({ applied: 4, ignored: 0 });
  });
  after(async () => {
    await index?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('ranks a name match above a description match', async () => {
    const page = await index.search('products', { q: 'mug' });
    expect(page.hits.map((hit) => hit.id)).to.deep.equal(['MUG-1', 'CUP-1']);
  });

  it('filters by category and stock, sorts by price and popularity, facets by category', async () => {
    const inStock = await index.search('products', {
      filters: [{ kind: 'term', field: 'inStock', value: true }],
      sort: { kind: 'field', field: 'price', order: 'desc' },
    });
    expect(inStock.hits.map((hit) => hit.id)).to.deep.equal(['LAMP-1', 'MUG-1']);
    const popular = await index.search('products', {
      sort: { kind: 'field', field: 'popularity', order: 'desc' },
      facets: [{ kind: 'terms', field: 'category' }],
    });
    expect(popular.hits[0]?.id).to.equal('LAMP-1');
    expect(popular.facets.category).to.deep.equal([
      { value: 'kitchen', count: 2 },
      { value: 'office', count: 1 },
    ]);
  });
});
