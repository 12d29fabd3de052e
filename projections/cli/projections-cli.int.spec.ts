import { expect } from 'chai';
import { realpathSync, rmSync } from 'node:fs';
import type { DocumentStore } from '../../shared-kernel/document-store/port';
import type { SqliteEventStore } from '../../shared-kernel/event-store/sqlite';
import { inventoryProjection } from '../read-models/inventory';
import { productsProjection } from '../read-models/products';
import {
  runStrata,
  seededDataDir,
  seedShop,
  serveWorker,
  type SeededDataDir,
  tempDataDir,
  until,
  type ServedWorker,
} from './cli.fixtures';
import type { CliProcessorStatus } from './processor-status';

interface StatusJson {
  source: 'worker' | 'stores';
  head: string | null;
  processors: CliProcessorStatus[];
}

describe('strata projections list|status, and usage errors (compiled CLI, SQLite stores)', function () {
  this.timeout(120_000);
  const seeded = { products: 60, priceChanges: 3 };
  const eventCount = seeded.products * (2 + seeded.priceChanges);
  let seededDir: SeededDataDir;
  let dataDir: string;
  let env: Record<string, string>;
  let eventStore: SqliteEventStore;
  let store: DocumentStore;

  before(async () => {
    seededDir = await seededDataDir(seeded);
    ({ dataDir, env, eventStore, store } = seededDir);
  });
  after(() => seededDir.close());

  const usageCases: Array<[string[], RegExp]> = [
    [['projections', 'status', 'nope'], /unknown processor "nope".*products, orders/],
    [['projections', 'rebuild', 'nope'], /unknown processor "nope"/],
    [['projections', 'rebuild', 'kafka-mirror'], /never rebuilt.*reset kafka-mirror --yes/],
    [['projections', 'rebuild', 'fulfillment-saga'], /side effects and is never rebuilt/],
    [['projections', 'rebuild', 'products', '--batch-size', '0'], /whole number from 1/],
    [['projections', 'reset', 'products'], /empty and fills again.*--yes/],
    [['projections', 'reset', 'kafka-mirror'], /RE-PUBLISHES.*--yes/],
    [['projections', 'rollback'], /missing required argument/],
    [['dead-letters', 'skip', '--processor', 'products'], /--stream/],
    [['dead-letters', 'list', '--processor', 'nope'], /unknown processor/],
    [['projections', 'frobnicate'], /unknown command/],
  ];
  for (const [args, message] of usageCases) {
    it(`exits 2 with what to do: strata ${args.join(' ')}`, async () => {
      const run = await runStrata(args, env);
      expect(run.code, run.stderr).to.equal(2);
      expect(run.stderr).to.match(message);
      expect(run.stdout).to.equal('');
    });
  }

  it('refuses a reset without --yes before touching anything', async () => {
    await runStrata(['projections', 'reset', 'products'], env);
    expect(await store.getCheckpoints()).to.deep.equal([]);
  });

  it('lists every processor with its kind and whether it can be rebuilt', async () => {
    const run = await runStrata(['projections', 'list', '--json'], env);
    expect(run.code, run.stderr).to.equal(0);
    const rows = JSON.parse(run.stdout) as Array<{
      name: string;
      kind: string;
      rebuildable: boolean;
    }>;
    const byName = new Map(rows.map((r) => [r.name, r]));
    expect([...byName.keys()]).to.include.members([
      'products',
      'orders',
      'inventory',
      'product-search',
    ]);
    expect(byName.get('products')).to.deep.equal({
      name: 'products',
      kind: 'read model',
      rebuildable: true,
    });
    expect(byName.get('kafka-mirror')).to.include({ kind: 'side effect', rebuildable: false });
    expect(byName.get('fulfillment-saga')).to.include({ kind: 'side effect', rebuildable: false });
  });

  it('tells status from the stores when no worker answers: whole log as lag, not running', async () => {
    const run = await runStrata(['projections', 'status', 'orders', '--json'], env);
    expect(run.code, run.stderr).to.equal(0);
    const status = JSON.parse(run.stdout) as StatusJson;
    expect(status.source).to.equal('stores');
    expect(status.head).to.equal(await eventStore.headPosition());
    expect(status.processors).to.have.length(1);
    expect(status.processors[0]).to.include({
      name: 'orders',
      state: 'not running',
      checkpoint: null,
      lagEvents: eventCount,
      parkedStreams: 0,
      source: 'stores',
    });
    expect(status.processors[0]?.lagSeconds).to.be.greaterThan(0);
  });

  describe('with a worker running', () => {
    let served: ServedWorker;
    let workerUrl: string;
    before(async () => {
      served = await serveWorker({
        eventStore,
        store,
        dataDir,
        specs: [{ projection: productsProjection(), rebuildable: true }],
        maintenanceIntervalMs: 50,
      });
      workerUrl = served.url;
      const head = await eventStore.headPosition();
      await until(() =>
        served.worker.statuses().every((s) => s.state === 'caught-up' && s.head === head),
      );
    });
    after(() => served.stop());

    it("asks the worker's /status for what it runs, the stores for the rest", async () => {
      const run = await runStrata(['projections', 'status', '--json'], {
        ...env,
        STRATA_WORKER_URL: workerUrl,
      });
      expect(run.code, run.stderr).to.equal(0);
      const status = JSON.parse(run.stdout) as StatusJson;
      const byName = new Map(status.processors.map((p) => [p.name, p]));
      expect(status.source).to.equal('worker');
      expect(byName.get('products')).to.include({
        source: 'worker',
        state: 'caught-up',
        checkpoint: status.head,
        lagEvents: 0,
        lagSeconds: 0,
        owner: 'cli-spec',
        leaseToken: 1,
      });
      expect(byName.get('products')?.leaseAgeSeconds).to.be.within(0, 5);
      expect(byName.get('orders')).to.include({
        source: 'stores',
        state: 'not running',
        owner: null,
        leaseToken: null,
      });
    });

    it('shows a processor another live worker owns as running elsewhere, with its owner and token', async () => {
      await store.acquireLease({ name: 'audit', owner: 'other-worker', ttlMs: 60_000 });
      const run = await runStrata(['projections', 'status', 'audit', '--json'], {
        ...env,
        STRATA_WORKER_URL: workerUrl,
      });
      expect(run.code, run.stderr).to.equal(0);
      const [audit] = (JSON.parse(run.stdout) as StatusJson).processors;
      expect(audit).to.include({
        state: 'running elsewhere',
        owner: 'other-worker',
        leaseToken: 1,
        source: 'stores',
      });
      await store.releaseLease('audit', 'other-worker');
    });

    it("refuses the figures of a worker that serves another data directory's stores", async () => {
      const elsewhere = tempDataDir();
      try {
        const run = await runStrata(['projections', 'status', '--json'], {
          STRATA_DATA_DIR: elsewhere,
          STRATA_WORKER_URL: workerUrl,
        });
        expect(run.code).to.equal(1);
        expect(run.stdout).to.equal('');
        expect(run.stderr).to.contain(`the worker at ${workerUrl} serves events sqlite:`);
        expect(run.stderr).to.contain(realpathSync(dataDir));
        expect(run.stderr).to.contain(realpathSync(elsewhere));
        expect(run.stderr).to.contain('point STRATA_WORKER_URL at the worker of these stores');
      } finally {
        rmSync(elsewhere, { recursive: true, force: true });
      }
    });

    it('prints a table for people, saying where the figures come from', async () => {
      const run = await runStrata(['projections', 'status', 'products'], {
        ...env,
        STRATA_WORKER_URL: workerUrl,
      });
      expect(run.code, run.stderr).to.equal(0);
      expect(run.stderr).to.contain(`from the running worker at ${workerUrl}`);
      expect(run.stdout).to.match(/^NAME\s+STATE\s+OWNER\s+TOKEN\s+LEASE AGE\s+CHECKPOINT/);
      expect(run.stdout).to.match(/products\s+caught-up\s+cli-spec\s+1\s+\S+\s+[0-9a-f]{16}/);
    });
  });

  describe('with a worker whose own lag figures are stale', () => {
    let served: ServedWorker;
    let workerUrl: string;
    before(async () => {
      // Its maintenance never runs after start: the heads the runners measured are old.
      served = await serveWorker({
        eventStore,
        store,
        dataDir,
        specs: [
          { projection: productsProjection(), rebuildable: true },
          { projection: inventoryProjection(), rebuildable: true },
        ],
        maintenanceIntervalMs: 3_600_000,
      });
      workerUrl = served.url;
      await seedShop(eventStore, { products: 20, priceChanges: 1, skuPrefix: 'LATE' });
      const head = await eventStore.headPosition();
      await until(() => served.worker.statuses().every((s) => s.checkpoint === head));
    });
    after(() => served.stop());

    it('reports one head, no checkpoint above it, and each lag counted against it', async () => {
      const answer = (await (await fetch(`${workerUrl}/status`)).json()) as StatusJson;
      expect(answer.head).to.equal(await eventStore.headPosition());
      for (const row of answer.processors) {
        expect(row, row.name).to.include({ head: answer.head, lagEvents: 0, lagSeconds: 0 });
      }
      const run = await runStrata(['projections', 'status', '--json'], {
        ...env,
        STRATA_WORKER_URL: workerUrl,
      });
      expect(run.code, run.stderr).to.equal(0);
      const status = JSON.parse(run.stdout) as StatusJson;
      expect(status.head).to.equal(await eventStore.headPosition());
      for (const row of status.processors) {
        expect(row.head, row.name).to.equal(status.head);
        expect(row.checkpoint === null || row.checkpoint <= status.head!, row.name).to.equal(true);
        expect(row.lagEvents, row.name).to.equal(
          eventStore.eventsBetween?.(row.checkpoint, status.head),
        );
      }
      const byName = new Map(status.processors.map((p) => [p.name, p]));
      expect(byName.get('inventory')).to.include({
        source: 'worker',
        state: 'caught-up',
        lagEvents: 0,
      });
      expect(byName.get('orders')?.lagEvents).to.be.greaterThan(0);
    });
  });
});
