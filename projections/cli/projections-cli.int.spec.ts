import { expect } from 'chai';
import { rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { DocumentStore } from '../../shared-kernel/document-store/port';
import { readModelsFile } from '../../shared-kernel/document-store/sqlite/open';
import { openSqliteDocumentStore } from '../../shared-kernel/document-store/sqlite/store';
import {
  openSqliteEventStore,
  type SqliteEventStore,
} from '../../shared-kernel/event-store/sqlite';
import { listen } from '../../shared-kernel/http/serve';
import { domainEventUpcasting } from '../../write-side/aggregates';
import { createHealthApp } from '../health-app';
import { productsProjection } from '../read-models/products';
import { createWorker, type Worker } from '../worker';
import { quietLogger, runStrata, seedShop, tempDataDir, until } from './cli.fixtures';
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
  let dataDir: string;
  let env: Record<string, string>;
  let eventStore: SqliteEventStore;
  let store: DocumentStore;

  before(async () => {
    dataDir = tempDataDir();
    env = { STRATA_DATA_DIR: dataDir };
    eventStore = openSqliteEventStore({ dataDir });
    await seedShop(eventStore, seeded);
    store = openSqliteDocumentStore({ file: readModelsFile(dataDir) });
  });
  after(async () => {
    await store.close();
    await eventStore.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

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
    let worker: Worker;
    let server: Server;
    let workerUrl: string;
    before(async () => {
      const upcasting = domainEventUpcasting();
      worker = createWorker({
        eventStore,
        store,
        specs: [{ projection: productsProjection(), rebuildable: true }],
        upcast: (event) => upcasting.upcast(event),
        logger: quietLogger(),
        options: {
          maxSize: 500,
          maxWaitMs: 5,
          maxAttempts: 2,
          backoffMs: { initial: 5, max: 20 },
          maintenanceIntervalMs: 50,
        },
        leases: { workerId: 'cli-spec', ttlMs: 5_000 },
      });
      await worker.start();
      const head = await eventStore.headPosition();
      await until(() => worker.statuses().every((s) => s.state === 'caught-up' && s.head === head));
      const app = createHealthApp({
        worker,
        pings: {},
        bounds: { heartbeatMs: 5000, maxLagSeconds: 30 },
      });
      const listening = await listen(app, 0);
      server = listening.server;
      workerUrl = `http://127.0.0.1:${listening.port}`;
    });
    after(async () => {
      await new Promise((resolve) => server.close(resolve));
      await worker.stop();
    });

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
});
