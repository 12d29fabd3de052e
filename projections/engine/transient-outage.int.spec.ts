import path from 'node:path';
import { expect } from 'chai';
import { MongoClient } from 'mongodb';
import type { Batch, DocumentStore } from '../../shared-kernel/document-store/port';
import { MongoDocumentStore } from '../../shared-kernel/document-store/mongo/mongo-document-store';
import { openElasticsearchSearchIndex } from '../../shared-kernel/search-index/elasticsearch/elasticsearch-search-index';
import type { SearchIndex } from '../../shared-kernel/search-index/port';
import { openSqliteSearchIndex } from '../../shared-kernel/search-index/sqlite/sqlite-search-index';
import { openBlackHole, type BlackHole } from '../../test/support/black-hole';
import { eventually } from '../../test/support/eventually';
import { freePort } from '../../test/support/redis-server';
import { buildShopHistory } from '../../test/support/shop-history';
import {
  openShopStores,
  TEST_RUNNER_OPTIONS,
  type ShopStores,
} from '../../test/support/shop-stores';
import { readModelSpecs } from '../processors';
import { ensureLiveSearchTarget } from '../processors/search-processor';
import { PRODUCT_SEARCH_INDEX, PRODUCT_SEARCH_PROCESSOR } from '../read-models';
import { DEAD_LETTERS } from './dead-letters';
import type { ProcessorRunner } from './runner';

/**
 * Issue 13 item 4: a store that is away for a while (restarting, failing over) must not be
 * taken for poison. The real Elasticsearch and MongoDB clients meet a refused port and a port
 * that never answers; the runner keeps retrying, parks nothing, and goes on once the store
 * answers again (here: the call is routed back to a store that answers).
 */
describe('runner: a store away (real clients, refused or black-holed port) is retried, never parked', function () {
  this.timeout(90_000);
  let hole: BlackHole;
  let shop: ShopStores;
  let products: number;

  before(async () => {
    hole = await openBlackHole();
  });
  after(() => hole.close());
  beforeEach(async () => {
    shop = openShopStores('strata-outage-');
    products = (await buildShopHistory(shop, 20, 1)).products.length;
  });
  afterEach(() => shop.close());

  const deadUrl = async (kind: 'refused' | 'black-holed', scheme: string) =>
    `${scheme}://127.0.0.1:${kind === 'refused' ? await freePort() : hole.port}`;

  /** Until the runner has failed well past maxAttempts, then checks nothing was parked. */
  async function expectRetriedNotParked(runner: ProcessorRunner, failures: () => number) {
    const enough = TEST_RUNNER_OPTIONS.maxAttempts * 2 + 1;
    await eventually(`${enough} failed attempts`, () => failures() >= enough, {
      timeoutMs: 60_000,
      describe: () => JSON.stringify(runner.status()),
    });
    const status = runner.status();
    expect(status.parkedStreams, 'parked streams').to.equal(0);
    expect(status.state).to.equal('retrying');
    expect(status.lastError?.message).to.match(/unavailable/i);
    expect(await shop.documents.count(DEAD_LETTERS.name)).to.equal(0);
  }

  for (const kind of ['refused', 'black-holed'] as const) {
    it(`Elasticsearch at a ${kind} port: the search processor waits, then indexes everything`, async () => {
      const url = await deadUrl(kind, 'http');
      const declarations = [PRODUCT_SEARCH_INDEX];
      const away = openElasticsearchSearchIndex({ url, declarations, requestTimeoutMs: 300 });
      const back = openSqliteSearchIndex({
        file: path.join(shop.dataDir, 'search.db'),
        declarations,
      });
      await ensureLiveSearchTarget(back, PRODUCT_SEARCH_INDEX.name);
      let current: SearchIndex = away;
      let failures = 0;
      const switchable: SearchIndex = {
        ...back,
        bulk: (target, ops) =>
          current.bulk(target, ops).catch((error: unknown) => {
            failures += 1;
            throw error;
          }),
      };
      const spec = readModelSpecs(switchable).find(
        (s) => s.projection.name === PRODUCT_SEARCH_PROCESSOR,
      );
      const runner = await shop.startRunner(spec!);
      try {
        await expectRetriedNotParked(runner, () => failures);
        current = back; // the address answers again
        await shop.settle(runner);
        const found = await back.search(PRODUCT_SEARCH_INDEX.name, { limit: 100 });
        expect(found.total).to.equal(products);
        expect(runner.status().parkedStreams).to.equal(0);
      } finally {
        await runner.stop();
        await away.close();
        await back.close();
      }
    });

    it(`MongoDB at a ${kind} port: the products projection waits, then commits everything`, async () => {
      const url = `${await deadUrl(kind, 'mongodb')}/?serverSelectionTimeoutMS=300`;
      let away = true;
      let failures = 0;
      // Each attempt through a client of its own, as after a failover (a client whose first
      // connection failed stays closed).
      const commitToMongo = async (batch: Batch) => {
        const client = new MongoClient(url);
        const mongo = new MongoDocumentStore(client, client.db('strata'), url);
        try {
          await mongo.commitBatch(batch);
        } finally {
          await mongo.close();
        }
      };
      const real = shop.documents;
      const documents: DocumentStore = {
        ensureCollection: (d) => real.ensureCollection(d),
        get: (c, id, o) => real.get(c, id, o),
        getMany: (c, ids, o) => real.getMany(c, ids, o),
        find: (c, q) => real.find(c, q),
        count: (c, w) => real.count(c, w),
        getCheckpoint: (p, o) => real.getCheckpoint(p, o),
        getCheckpoints: () => real.getCheckpoints(),
        createTarget: (c, d) => real.createTarget(c, d),
        swap: (c, t) => real.swap(c, t),
        rollback: (c) => real.rollback(c),
        dropTarget: (t) => real.dropTarget(t),
        targets: (c) => real.targets(c),
        listTargets: (c) => real.listTargets(c),
        acquireLease: (r) => real.acquireLease(r),
        releaseLease: (n, o) => real.releaseLease(n, o),
        leases: () => real.leases(),
        dropLease: (n, age) => real.dropLease(n, age),
        ping: () => real.ping(),
        close: () => real.close(),
        commitBatch: (batch) =>
          away
            ? commitToMongo(batch).catch((error: unknown) => {
                failures += 1;
                throw error;
              })
            : real.commitBatch(batch),
      };
      const spec = readModelSpecs(
        openSqliteSearchIndex({ file: ':memory:', declarations: [] }),
      ).find((s) => s.projection.name === 'products');
      const runner = await shop.startRunner(spec!, documents);
      try {
        await expectRetriedNotParked(runner, () => failures);
        away = false;
        await shop.settle(runner);
        expect(await shop.documents.count('products')).to.equal(products);
      } finally {
        await runner.stop();
      }
    });
  }
});
