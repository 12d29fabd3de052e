/**
 * Event store benchmark (not a test): the SQLite EventStore against plain better-sqlite3 doing
 * the same work with the same pragmas (WAL, synchronous=FULL); writes bench/results/event-store.json.
 *   node dist/bench/event-store.js [--events=1000000] [--single-appends=2000]
 *     [--concurrent-appends=64000] [--batches=1000] [--out=...] [--data-dir=...]  (or BENCH_EVENTS=...)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';
import type { AllSubscription } from '../shared-kernel/event-store/port';
import { newId } from '../shared-kernel/ids';
import { openSqliteEventStore, type SqliteEventStore } from '../shared-kernel/event-store/sqlite';
import { openDatabase } from '../shared-kernel/event-store/sqlite/open-database';
import { appendConcurrently, appendTo, plainAppends, sampleEvent } from './support/append-work';
import { drain, fsyncLatencyMs, startMemorySampler } from './support/measure';
import { benchOptions } from './support/options';
import { createReport, record, writeReport, type Report } from './support/report';

/** Plain better-sqlite3 read of the whole log: iterate row objects, parse data and metadata. */
function* plainReadAll(db: Database.Database): Generator<unknown> {
  const rows = db.prepare('SELECT * FROM events ORDER BY position').iterate();
  for (const row of rows as Iterable<{ data: string; metadata: string }>) {
    yield [JSON.parse(row.data), JSON.parse(row.metadata)];
  }
}

async function fillTo(store: SqliteEventStore, target: number): Promise<void> {
  let stored = Number.parseInt((await store.headPosition()) ?? '0', 16);
  const writer = async () => {
    const streamId = `fill-${newId()}`;
    while (stored < target) {
      const count = Math.min(1000, target - stored);
      stored += count;
      const events = Array.from({ length: count }, (_, k) => sampleEvent(k));
      await store.append(streamId, events, 'any');
    }
  };
  await Promise.all([writer(), writer(), writer(), writer()]);
}

/**
 * Each figure's baseline is measured right before it: this disk's fsync time swings by an order
 * of magnitude within minutes on a shared machine, so a baseline taken earlier would mislead.
 */
async function appendPhases(store: SqliteEventStore, dataDir: string, report: Report) {
  const { singleAppends, concurrentAppends, batches } = report.parameters as Record<string, number>;
  const plain = openDatabase({ dataDir, fileName: 'plain.db', busyTimeoutMs: 5_000 }).db;
  const perEventTx = () => ({
    unit: 'appends/s',
    baseline: plainAppends(plain, singleAppends!, 1),
  });
  let rate = perEventTx();
  const one = await appendConcurrently(appendTo(store), 1, singleAppends!, 1);
  record(report, { name: 'single-event appends, 1 in flight', value: one.perSecond, ...rate });
  record(report, { name: '  latency p99, 1 in flight', value: one.latency.p99, unit: 'ms' });
  for (const writers of [64, 256]) {
    const fsyncMs = fsyncLatencyMs(dataDir);
    rate = perEventTx();
    const many = await appendConcurrently(appendTo(store), writers, concurrentAppends!, 1);
    const goal = writers === 64 ? { atLeast: 20_000 } : null;
    const name = `single-event appends, ${writers} in flight`;
    record(report, { name, value: many.perSecond, ...rate, goal });
    record(report, {
      name: `  latency p50 / p99, ${writers} in flight`,
      value: many.latency.p50,
      unit: `ms / ${many.latency.p99.toFixed(1)} ms`,
    });
    const cpu = { value: many.cpuMicrosEach, unit: 'µs (CPU time of this process)' };
    record(report, { name: `  CPU per append, ${writers} in flight`, ...cpu });
    record(report, {
      name: '  disk: 4 KiB write + fdatasync (median)',
      value: fsyncMs,
      unit: 'ms',
    });
  }
  const perBatchTx = plainAppends(plain, batches!, 100);
  plain.close();
  const batched = await appendConcurrently(appendTo(store), 1, batches!, 100);
  const name = 'appends of 100 events, 1 in flight';
  record(report, { name, value: batched.perSecond * 100, unit: 'events/s', baseline: perBatchTx });
  const { commits, appends, largestGroup } = store.commitCounters();
  const unit = `appends (largest group ${largestGroup})`;
  record(report, { name: 'appends per commit, all phases', value: appends / commits, unit });
}

async function readPhases(store: SqliteEventStore, dataDir: string, report: Report) {
  const raw = openDatabase({ dataDir, fileName: 'store.db', busyTimeoutMs: 5_000 }).db;
  const plainMemory = startMemorySampler();
  const plain = await drain(plainReadAll(raw), plainMemory.sample);
  const plainPeak = plainMemory.stop().peakRssMb;
  raw.close();
  const phases: Array<{ name: string; goal: number; events(): AsyncIterable<unknown> }> = [
    { name: '$all read', goal: 300_000, events: () => store.readAll() },
    { name: 'subscription catch-up', goal: 200_000, events: () => store.subscribeToAll() },
  ];
  for (const phase of phases) {
    const memory = startMemorySampler();
    const iterable = phase.events();
    const caughtUp = (item: unknown) => (item as { kind?: string }).kind === 'caught-up';
    const { count, perSecond, cpuMicrosEach } = await drain(iterable, memory.sample, caughtUp);
    if ('close' in iterable) await (iterable as AllSubscription).close();
    const rss = memory.stop();
    const unit = 'events/s';
    const goal = { atLeast: phase.goal };
    record(report, {
      name: `${phase.name}, ${count} events`,
      value: perSecond,
      unit,
      baseline: plain.perSecond,
      goal,
    });
    record(report, {
      name: `  CPU per event, ${phase.name}`,
      value: cpuMicrosEach,
      unit: 'µs',
      baseline: plain.cpuMicrosEach,
    });
    const rssUnit = `MB (${rss.startRssMb.toFixed(0)} MB at start)`;
    record(report, {
      name: `  peak RSS during ${phase.name}`,
      value: rss.peakRssMb,
      unit: rssUnit,
      baseline: plainPeak,
    });
  }
}

async function main(): Promise<void> {
  const options = benchOptions();
  const ownDataDir = options.string('data-dir', '') === '';
  const dataDir = ownDataDir
    ? fs.mkdtempSync(path.join(os.tmpdir(), 'strata-bench-es-'))
    : options.string('data-dir', '');
  const report = createReport('event-store', {
    events: options.integer('events', 1_000_000),
    singleAppends: options.integer('single-appends', 2_000),
    concurrentAppends: options.integer('concurrent-appends', 64_000),
    batches: options.integer('batches', 1_000),
    dataDir,
  });
  const store = openSqliteEventStore({ dataDir, fileName: 'store.db' });
  try {
    await appendPhases(store, dataDir, report);
    await fillTo(store, report.parameters.events as number);
    await readPhases(store, dataDir, report);
  } finally {
    await store.close();
    if (ownDataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  }
  const defaultOut = path.join('bench', 'results', 'event-store.json');
  writeReport(report, path.resolve(options.string('out', defaultOut)));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
