import path from 'node:path';
import { expect } from 'chai';
import type { DocumentStore } from '../../shared-kernel/document-store/port';
import { newId } from '../../shared-kernel/ids';
import type { SearchIndex } from '../../shared-kernel/search-index/port';
import { openSqliteSearchIndex } from '../../shared-kernel/search-index/sqlite/sqlite-search-index';
import { eventually } from '../../test/support/eventually';
import { buildShopHistory } from '../../test/support/shop-history';
import { openShopStores, type ShopStores } from '../../test/support/shop-stores';
import type { CommandRequest } from '../../write-side/command-handling/command-request';
import { EUR, testContext } from '../../write-side/command-handling/command-handler.fixtures';
import { readModelSpecs } from '../processors';
import { ensureLiveSearchTarget } from '../processors/search-processor';
import { PRODUCT_SEARCH_INDEX, PRODUCT_SEARCH_PROCESSOR } from '../read-models';
import { rebuildProjection } from './rebuild';

/**
 * Issue 13 item 8: between the rebuild's two swaps (documents and search alias) the live
 * search processor goes on indexing. A price change made right then must be in the index the
 * alias ends on, whichever swap comes first in the code.
 */
describe('rebuild of the search processor: an update made between the two swaps is not lost', function () {
  this.timeout(60_000);
  let shop: ShopStores;
  let index: SearchIndex;

  beforeEach(async () => {
    shop = openShopStores('strata-swap-order-');
    index = openSqliteSearchIndex({
      file: path.join(shop.dataDir, 'search.db'),
      declarations: [PRODUCT_SEARCH_INDEX],
    });
    await ensureLiveSearchTarget(index, PRODUCT_SEARCH_INDEX.name);
  });
  afterEach(async () => {
    await shop.close();
    await index.close();
  });

  const searchSpec = (target?: string) =>
    readModelSpecs(index, target).find((s) => s.projection.name === PRODUCT_SEARCH_PROCESSOR)!;

  it('finds the new price in the live index after the rebuild', async () => {
    const { products } = await buildShopHistory(shop, 10, 1);
    const live = await shop.startRunner(searchSpec());
    await shop.settle(live);
    const product = products[0]!;
    const newPrice = 987_654;
    let between: Promise<void> | null = null;
    // Whichever swap runs first, the update arrives right after it, and the live processor
    // has indexed it before the second swap runs.
    const updateBetweenSwaps = () =>
      (between ??= (async () => {
        const appended = await shop.dispatch({
          aggregate: 'product',
          commandId: newId(),
          context: testContext({ actor: 'pricing' }),
          command: {
            type: 'ChangeProductPrice',
            data: { productId: product.productId, price: EUR(newPrice) },
          },
        } as CommandRequest);
        await eventually('the live processor to index the change', async () => {
          const at = live.status().checkpoint;
          return at !== null && at >= (appended as { position: string }).position;
        });
      })());
    const store: DocumentStore = Object.assign(Object.create(shop.documents) as DocumentStore, {
      swap: async (collection: string, target: string) => {
        await shop.documents.swap(collection, target);
        await updateBetweenSwaps();
      },
    });
    const searchTarget = await index.createTarget(PRODUCT_SEARCH_INDEX.name);
    const outcome = await rebuildProjection(PRODUCT_SEARCH_PROCESSOR, {
      eventStore: shop.events,
      store,
      specFor: async () => searchSpec(searchTarget),
      swapSearchAlias: async () => {
        await index.swapAlias(PRODUCT_SEARCH_INDEX.name, searchTarget);
        await updateBetweenSwaps();
      },
      upcast: shop.upcast,
      batchSize: 50,
    });
    expect(outcome.kind).to.equal('swapped');
    expect(between, 'the update ran between the swaps').to.not.equal(null);
    await shop.settle(live);
    const page = await index.search(PRODUCT_SEARCH_INDEX.name, { limit: 100 });
    const found = page.hits.find((hit) => hit.doc.productId === product.productId);
    expect(found?.doc.price, 'price in the live search index').to.equal(newPrice);
  });
});
