import { expect } from 'chai';
import { rmSync } from 'node:fs';
import type { DocumentStore } from '../../shared-kernel/document-store/port';
import { readModelsFile } from '../../shared-kernel/document-store/sqlite/open';
import { openSqliteDocumentStore } from '../../shared-kernel/document-store/sqlite/sqlite-document-store';
import {
  openSqliteEventStore,
  type SqliteEventStore,
} from '../../shared-kernel/event-store/sqlite';
import { loadDeadLetters } from '../engine/dead-letter-store';
import type { DeadLetter } from '../engine/dead-letters';
import type { DocumentProjection } from '../engine/projection';
import type { ProcessorRunner } from '../engine/runner';
import { inventoryProjection } from '../read-models/inventory';
import { runStrata, runUntilCaughtUp, seedShop, tempDataDir, until } from './cli.fixtures';
import type { LetterReport } from './dead-letter-outcomes';

/** The real inventory fold, made to fail on chosen events: a poison the worker must park. */
function poisonable(poisoned: Set<string>): DocumentProjection {
  const real = inventoryProjection();
  return {
    ...real,
    reads: (event) => real.reads(event),
    apply(event, docs) {
      if (poisoned.has(event.eventId)) throw new Error(`poisoned ${event.type}`);
      return real.apply(event, docs);
    },
  };
}

describe('strata dead-letters list|retry|skip (compiled CLI, a real runner in this process)', function () {
  this.timeout(120_000);
  let dataDir: string;
  let env: Record<string, string>;
  let eventStore: SqliteEventStore;
  let store: DocumentStore;
  let runner: ProcessorRunner;
  const poisoned = new Set<string>();

  before(async () => {
    dataDir = tempDataDir();
    env = { STRATA_DATA_DIR: dataDir };
    eventStore = openSqliteEventStore({ dataDir });
    await seedShop(eventStore, { products: 4, priceChanges: 0 });
    for await (const event of eventStore.readStream('stock-SKU-00001')) poisoned.add(event.eventId);
    store = openSqliteDocumentStore({ file: readModelsFile(dataDir) });
    runner = await runUntilCaughtUp(
      { eventStore, store, spec: { projection: poisonable(poisoned), rebuildable: true } },
      { maintenanceIntervalMs: 50 },
    );
  });
  after(async () => {
    await runner.stop();
    await store.close();
    await eventStore.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('lists the parked stream with its failing event and error', async () => {
    const run = await runStrata(
      ['dead-letters', 'list', '--processor', 'inventory', '--json'],
      env,
    );
    expect(run.code, run.stderr).to.equal(0);
    const letters = JSON.parse(run.stdout) as DeadLetter[];
    expect(letters).to.have.length(1);
    expect(letters[0]).to.include({
      processor: 'inventory',
      streamId: 'stock-SKU-00001',
      revision: 0,
      eventType: 'StockReceived',
      request: null,
    });
    expect(letters[0]?.error).to.contain('poisoned StockReceived');
    expect(await store.get('inventory', 'SKU-00001')).to.equal(null);
  });

  it('reports "failed-again" with the new error when the worker retries and it still fails', async () => {
    const run = await runStrata(
      ['dead-letters', 'retry', '--processor', 'inventory', '--json'],
      env,
    );
    expect(run.code, run.stderr).to.equal(1);
    const [report] = JSON.parse(run.stdout) as LetterReport[];
    expect(report).to.include({ streamId: 'stock-SKU-00001', outcome: 'failed-again' });
    expect(report?.error).to.contain('poisoned');
    const [letter] = await loadDeadLetters(store, 'inventory');
    expect(letter).to.include({ request: null, attempts: 3 });
  });

  it('reports "released" once the cause is gone, and the held events reach the read model', async () => {
    poisoned.clear();
    const run = await runStrata(['dead-letters', 'retry', '--stream', 'stock-SKU-00001'], env);
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.match(/inventory\s+stock-SKU-00001\s+0\s+released/);
    expect(await loadDeadLetters(store, 'inventory')).to.deep.equal([]);
    expect(await store.get('inventory', 'SKU-00001')).to.include({ onHand: 11 });
  });

  it('says the request is still pending when no worker acts on it, and leaves it marked', async () => {
    await runner.stop();
    // A new product whose stock receipt is poisoned, parked by a runner that is then stopped.
    await seedShop(eventStore, { products: 1, priceChanges: 0, skuPrefix: 'LATE' });
    for await (const event of eventStore.readStream('stock-LATE-00000'))
      poisoned.add(event.eventId);
    runner = await runUntilCaughtUp(
      { eventStore, store, spec: { projection: poisonable(poisoned), rebuildable: true } },
      { maintenanceIntervalMs: 50 },
    );
    await until(async () => (await loadDeadLetters(store, 'inventory')).length === 1);
    await runner.stop();
    const run = await runStrata(
      [
        'dead-letters',
        'skip',
        '--processor',
        'inventory',
        '--stream',
        'stock-LATE-00000',
        '--wait',
        '1',
      ],
      env,
    );
    expect(run.code).to.equal(1);
    expect(run.stdout).to.match(/stock-LATE-00000\s+0\s+pending/);
    expect(run.stderr).to.contain('is the worker running?');
    const [letter] = await loadDeadLetters(store, 'inventory');
    expect(letter).to.include({ streamId: 'stock-LATE-00000', request: 'skip' });
  });

  it('does nothing, successfully, when no parked stream matches', async () => {
    const run = await runStrata(['dead-letters', 'retry', '--stream', 'stock-none'], env);
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stderr).to.contain('no parked stream matches');
  });
});
