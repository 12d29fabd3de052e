import { expect } from 'chai';
import { rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { DocumentStore } from '../../shared-kernel/document-store/port';
import { readModelsFile } from '../../shared-kernel/document-store/sqlite/open';
import { openSqliteDocumentStore } from '../../shared-kernel/document-store/sqlite/sqlite-document-store';
import {
  openSqliteEventStore,
  type SqliteEventStore,
} from '../../shared-kernel/event-store/sqlite';
import { REBUILDS } from '../engine/rebuild';
import { ordersProjection } from '../read-models/orders';
import { productsProjection } from '../read-models/products';
import {
  allDocuments,
  finished,
  runStrata,
  runUntilCaughtUp,
  seedShop,
  spawnStrata,
  tempDataDir,
} from './cli.fixtures';

interface RebuildJson {
  outcome: 'swapped' | 'interrupted';
  target: string;
  events: number | null;
}

describe('strata projections rebuild|rollback|reset (compiled CLI, SQLite stores)', function () {
  this.timeout(180_000);
  const seeded = { products: 250, priceChanges: 10 };
  const eventCount = seeded.products * (2 + seeded.priceChanges);
  let dataDir: string;
  let env: Record<string, string>;
  let eventStore: SqliteEventStore;
  let store: DocumentStore;
  let liveBuilt: unknown[];
  let liveTarget: string;

  before(async () => {
    dataDir = tempDataDir();
    env = { STRATA_DATA_DIR: dataDir };
    eventStore = openSqliteEventStore({ dataDir });
    await seedShop(eventStore, seeded);
    store = openSqliteDocumentStore({ file: readModelsFile(dataDir) });
    // The reference: the model the live engine builds, batch by batch from its subscription.
    const runner = await runUntilCaughtUp({
      eventStore,
      store,
      spec: { projection: productsProjection(), rebuildable: true },
    });
    await runner.stop();
    liveBuilt = await allDocuments(store, 'products');
    liveTarget = (await store.targets('products')).live;
  });
  after(async () => {
    await store.close();
    await eventStore.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(`rebuilds products from ${eventCount} events into the same documents, swaps, and rolls back`, async () => {
    expect(liveBuilt).to.have.length(seeded.products);
    const run = await runStrata(['projections', 'rebuild', 'products', '--json'], env);
    expect(run.code, run.stderr).to.equal(0);
    const result = JSON.parse(run.stdout) as RebuildJson;
    expect(result).to.include({ outcome: 'swapped', events: eventCount });
    expect(result.target).to.not.equal(liveTarget);
    expect(run.stderr).to.match(/"progress":"products"/);
    expect(await store.targets('products')).to.include({
      live: result.target,
      previous: liveTarget,
    });
    expect(await allDocuments(store, 'products')).to.deep.equal(liveBuilt);
    expect(await store.getCheckpoint('products')).to.equal(await eventStore.headPosition());

    const back = await runStrata(['projections', 'rollback', 'products'], env);
    expect(back.code, back.stderr).to.equal(0);
    expect(back.stdout).to.contain(`${liveTarget} is live again`);
    expect(await store.targets('products')).to.include({
      live: liveTarget,
      previous: result.target,
    });
    expect(await allDocuments(store, 'products')).to.deep.equal(liveBuilt);
  });

  it('fails (exit 1) to roll back a processor that has no previous target', async () => {
    const run = await runStrata(['projections', 'rollback', 'inventory'], env);
    expect(run.code).to.equal(1);
    expect(run.stderr).to.contain('inventory has no previous target to roll back to');
  });

  it('prints progress without a terminal as plain lines, none of them twice', async () => {
    const run = await runStrata(['projections', 'rebuild', 'inventory'], env);
    expect(run.code, run.stderr).to.equal(0);
    const lines = run.stderr.split('\n').filter((line) => line.startsWith('rebuild inventory: '));
    expect(lines.at(-1)).to.match(
      new RegExp(`^rebuild inventory: ${eventCount}/${eventCount} events`),
    );
    expect(new Set(lines).size).to.equal(lines.length);
  });

  it('stops on Ctrl-C leaving the live model untouched, and a rerun resumes into the same target', async () => {
    const before = await store.targets('products');
    const child = spawnStrata(
      ['projections', 'rebuild', 'products', '--json', '--batch-size', '20'],
      env,
    );
    const done = finished(child);
    // Interrupt once the first batch has committed: progress lines come after each commit.
    for await (const line of createInterface({ input: child.stderr })) {
      if (line.includes('"progress"')) {
        child.kill('SIGINT');
        break;
      }
    }
    const run = await done;
    expect(run.code, run.stderr).to.equal(130);
    const interrupted = JSON.parse(run.stdout) as RebuildJson;
    expect(interrupted.outcome).to.equal('interrupted');
    expect(run.stderr).to.contain('interrupted: the live model is untouched');
    expect(run.stderr).to.contain('again to resume');
    expect(await store.targets('products')).to.deep.equal(before);
    expect(await allDocuments(store, 'products')).to.deep.equal(liveBuilt);
    const partial = await store.getCheckpoint('products', { target: interrupted.target });
    expect(partial).to.not.equal(null);
    expect(partial! < (await eventStore.headPosition())!).to.equal(true);
    expect(await store.get(REBUILDS.name, 'products')).to.include({ target: interrupted.target });

    const rerun = await runStrata(['projections', 'rebuild', 'products', '--json'], env);
    expect(rerun.code, rerun.stderr).to.equal(0);
    const resumed = JSON.parse(rerun.stdout) as RebuildJson;
    expect(resumed.target).to.equal(interrupted.target);
    expect(resumed.events).to.be.lessThan(eventCount);
    expect(await allDocuments(store, 'products')).to.deep.equal(liveBuilt);
    expect(await store.get(REBUILDS.name, 'products')).to.equal(null);
  });

  it('resets a read model: an empty target from the first event, the old one kept for rollback', async () => {
    const [orders] = ordersProjection().collections;
    await store.ensureCollection(orders!);
    const before = await store.targets('orders');
    const run = await runStrata(['projections', 'reset', 'orders', '--yes', '--json'], env);
    expect(run.code, run.stderr).to.equal(0);
    const result = JSON.parse(run.stdout) as {
      target: string;
      previous: string;
      checkpoint: string;
    };
    let first: string | null = null;
    for await (const event of eventStore.readAll({ maxCount: 1 })) first = event.position;
    expect(result).to.include({ previous: before.live, checkpoint: first });
    expect(await store.targets('orders')).to.include({
      live: result.target,
      previous: before.live,
    });
    expect(await store.getCheckpoint('orders')).to.equal(first);
    expect(await allDocuments(store, 'orders')).to.deep.equal([]);
  });
});
