/**
 * Projections benchmark (not a test), on the embedded stores: a realistic shop history of
 * `--events` domain events appended to a temporary SQLite event store, then in one run
 *   - search indexing through the live runner (state + FTS5), the Kafka mirror to the mock
 *     broker (kcat) and to the outbox: messages/s;
 *   - each read model rebuilt with `rebuildProjection`: events/s, CPU and RSS at each quarter,
 *     against plain better-sqlite3 upserts of the same number of documents;
 *   - lag from append to the products read model at a steady command rate.
 * Prints each figure and writes bench/results/projections.json.
 *
 *   node dist/bench/projections.js [--events=1000000] [--products=10000] [--batch-size=5000]
 *     [--lag-rate=500] [--lag-seconds=10] [--out=...] [--data-dir=...]
 *   (or BENCH_EVENTS=..., BENCH_PRODUCTS=..., and so on)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RecordedEvent } from '../shared-kernel/events/envelope';
import { openSqliteDocumentStore } from '../shared-kernel/document-store/sqlite/sqlite-document-store';
import { openSqliteEventStore } from '../shared-kernel/event-store/sqlite';
import { createLogger } from '../shared-kernel/logging/logger';
import { openSqliteSearchIndex } from '../shared-kernel/search-index/sqlite/sqlite-search-index';
import { PRODUCT_SEARCH_INDEX } from '../projections/read-models';
import { domainEventUpcasting } from '../write-side/aggregates';
import { fillEventStore } from './projections/fill-event-store';
import { rebuildPhases, searchIndexingPhase } from './projections/phases';
import { lagPhase, mirrorPhases } from './projections/throughput-phases';
import { emptyTally, shopHistory } from './projections/shop-history';
import { benchOptions } from './support/options';
import { createReport, writeReport } from './support/report';

async function main(): Promise<void> {
  const options = benchOptions();
  const ownDataDir = options.string('data-dir', '') === '';
  const dataDir = ownDataDir
    ? fs.mkdtempSync(path.join(os.tmpdir(), 'strata-bench-projections-'))
    : options.string('data-dir', '');
  const parameters = {
    events: options.integer('events', 1_000_000),
    products: options.integer('products', 10_000),
    batchSize: options.integer('batch-size', 5_000),
    lagRate: options.integer('lag-rate', 500),
    lagSeconds: options.integer('lag-seconds', 10),
    dataDir,
  };
  const report = createReport('projections', parameters);
  const logger = createLogger({
    service: 'bench',
    level: 'error',
    format: 'json',
    stream: process.stderr,
  });
  const upcasting = domainEventUpcasting();
  const eventStore = openSqliteEventStore({ dataDir, fileName: 'events.db' });
  const store = openSqliteDocumentStore({ file: path.join(dataDir, 'read-models.db') });
  const search = openSqliteSearchIndex({
    file: path.join(dataDir, 'search.db'),
    declarations: [PRODUCT_SEARCH_INDEX],
  });
  const context = {
    report,
    dataDir,
    eventStore,
    store,
    search,
    logger,
    upcast: (event: RecordedEvent) => upcasting.upcast(event),
    batchSize: parameters.batchSize,
  };
  try {
    const tally = emptyTally();
    const started = Date.now();
    await fillEventStore(eventStore, shopHistory(parameters, tally), (appends) => {
      if (appends % 102_400 === 0) process.stdout.write(`  generated ${tally.events} events\n`);
    });
    const mix = [...tally.byType].sort((a, b) => b[1] - a[1]).map(([t, n]) => `${t} ${n}`);
    Object.assign(report.parameters, {
      eventsGenerated: tally.events,
      orders: tally.orders,
      eventMix: mix.join(', '),
    });
    process.stdout.write(
      `generated ${tally.events} events (${tally.orders} orders, ${tally.appends} appends) in ${((Date.now() - started) / 1000).toFixed(1)} s (not measured)\n${mix.join(', ')}\n\n`,
    );
    freeMemory();
    await searchIndexingPhase(context);
    await rebuildPhases(context, freeMemory);
    await mirrorPhases(context);
    await lagPhase({
      ...context,
      products: parameters.products,
      rate: parameters.lagRate,
      seconds: parameters.lagSeconds,
    });
  } finally {
    await eventStore.close();
    await store.close();
    await search.close();
    if (ownDataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  }
  const defaultOut = path.join('bench', 'results', 'projections.json');
  writeReport(report, path.resolve(options.string('out', defaultOut)));
}

/** Between phases, when run with --expose-gc: each phase's RSS starts from a collected heap. */
function freeMemory(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

main().catch((error: unknown) => {
  console.error(error);
  // A failed phase may leave a runner retrying or a broker connection open: end here anyway.
  process.exit(1);
});
