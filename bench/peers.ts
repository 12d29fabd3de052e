/**
 * Peers benchmark (not a test): Strata's embedded store, command handler and projection runner
 * against Emmett (@event-driven-io/emmett on its SQLite event store, bench/peers/emmett, a package
 * of its own) doing the same work in the same process, each beside plain better-sqlite3 doing the
 * same inserts and reads with Strata's pragmas. Prints each figure with Strata's as a ratio to
 * Emmett's and writes bench/results/peers.json. Needs `make bench-peers` first (`make bench` does).
 *   node dist/bench/peers.js [--appends=2000] [--concurrent-appends=16000] [--cold-commands=8000]
 *     [--hot-commands=1024] [--catch-up-events=10000,100000] [--batch-size=1000]
 *     [--phase-seconds=60] [--out=...]   (or BENCH_APPENDS=..., and so on)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSqliteEventStore } from '../shared-kernel/event-store/sqlite';
import { openDatabase } from '../shared-kernel/event-store/sqlite/open-database';
import { createLogger } from '../shared-kernel/logging/logger';
import { domainEventUpcasting } from '../write-side/aggregates';
import { appendPhases } from './peers/append-phases';
import { catchUpPhases } from './peers/catch-up-phases';
import { commandPhases } from './peers/command-phases';
import { loadPeer } from './peers/load-peer';
import { IN_FLIGHT, type PeersContext, type PeersSizes } from './peers/peers-context';
import { benchOptions } from './support/options';
import { createReport, writeReport } from './support/report';

function sizesFrom(options: ReturnType<typeof benchOptions>): PeersSizes {
  const inFlightMultiple = (n: number) => Math.ceil(n / IN_FLIGHT) * IN_FLIGHT;
  const catchUpEvents = options.integers('catch-up-events', [10_000, 100_000]);
  if (catchUpEvents.some((n) => !Number.isSafeInteger(n) || n < 20 || n % 20 !== 0)) {
    throw new Error(`--catch-up-events: expected multiples of 20, got ${catchUpEvents.join(',')}`);
  }
  return {
    appends: options.integer('appends', 2_000),
    concurrentAppends: inFlightMultiple(options.integer('concurrent-appends', 16_000)),
    coldCommands: inFlightMultiple(options.integer('cold-commands', 8_000)),
    hotCommands: inFlightMultiple(options.integer('hot-commands', 1_024)),
    catchUpEvents,
    batchSize: options.integer('batch-size', 1_000),
    phaseSeconds: options.integer('phase-seconds', 60),
  };
}

/** journal_mode and synchronous as a connection opened by Strata's own `openDatabase` has them. */
function strataDurability(db: ReturnType<typeof openDatabase>['db']): string {
  const synchronous = ['OFF', 'NORMAL', 'FULL', 'EXTRA'][
    db.pragma('synchronous', { simple: true }) as number
  ];
  return `journal_mode=${String(db.pragma('journal_mode', { simple: true }))}, synchronous=${synchronous}`;
}

async function main(): Promise<void> {
  const options = benchOptions();
  const sizes = sizesFrom(options);
  const openEmmett = loadPeer('emmett');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-bench-peers-'));
  const report = createReport('peers', { ...sizes, catchUpEvents: sizes.catchUpEvents.join(', ') });
  const logger = createLogger({
    service: 'bench',
    level: 'error',
    format: 'json',
    stream: process.stderr,
  });
  const strata = openSqliteEventStore({ dataDir, fileName: 'strata.db', logger });
  const plain = openDatabase({ dataDir, fileName: 'plain.db', busyTimeoutMs: 5_000 }).db;
  const emmett = await openEmmett({ dataDir, fileName: 'emmett.db' });
  const context: PeersContext = {
    report,
    dataDir,
    strata,
    emmett,
    openEmmett,
    plain,
    logger,
    upcasting: domainEventUpcasting(),
  };
  try {
    Object.assign(report.parameters, {
      emmett: emmett.name,
      strata: `better-sqlite3, SQLite ${String(plain.prepare('SELECT sqlite_version()').pluck().get())}`,
      durabilityStrataAndBaseline: strataDurability(plain),
      durabilityEmmett: await emmett.durability(),
      readModels:
        "Strata's document store: its own file, synchronous=NORMAL; Emmett's: a table in its event database, on its connections",
    });
    process.stdout.write(`${JSON.stringify(report.parameters, null, 2)}\n\n`);
    await appendPhases(context, sizes);
    await commandPhases(context, sizes);
    await catchUpPhases(context, sizes);
    Object.assign(report.parameters, emmett.diagnostics());
  } finally {
    await strata.close();
    await emmett.close();
    plain.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  const defaultOut = path.join('bench', 'results', 'peers.json');
  writeReport(report, path.resolve(options.string('out', defaultOut)));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
