import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import type { Position } from '../../shared-kernel/events/envelope';
import type { EventStore } from '../../shared-kernel/event-store/port';
import { createLatencyRecorder, type LatencySummary } from '../support/measure';

export interface Outcomes {
  confirmed: number;
  rejected: number;
  /** Every event after the position: what the saga's commands appended. */
  appended: number;
}

/** What the saga appended after `after`, read from the log. */
export async function countOutcomes(store: EventStore, after: Position | null): Promise<Outcomes> {
  const outcomes: Outcomes = { confirmed: 0, rejected: 0, appended: 0 };
  for await (const event of store.readAll({ after })) {
    outcomes.appended += 1;
    if (event.type === 'OrderConfirmed') outcomes.confirmed += 1;
    if (event.type === 'OrderRejected') outcomes.rejected += 1;
  }
  return outcomes;
}

/**
 * The raw baseline of the saga phases: `commits` durable transactions of one event-sized row
 * each, one after another, in plain better-sqlite3 with the event store's durability (WAL,
 * synchronous=FULL). What committing the saga's decisions one by one costs at the bottom.
 */
export function plainCommitsPerSecond(dir: string, commits: number): number {
  return withPlainLog(dir, (commit) => {
    const started = performance.now();
    for (let i = 0; i < commits; i++) commit(i);
    return commits / ((performance.now() - started) / 1000);
  });
}

/**
 * The raw baseline of the placed -> confirmed latency: `chain` durable commits one after the
 * other (an order placed, its stock reserved, the order confirmed), `samples` times.
 */
export function plainDependentCommitsMs(
  dir: string,
  chain: number,
  samples: number,
): LatencySummary {
  return withPlainLog(dir, (commit) => {
    const latencies = createLatencyRecorder(samples);
    for (let i = 0; i < samples; i++) {
      const started = performance.now();
      for (let link = 0; link < chain; link++) commit(i * chain + link);
      latencies.record(performance.now() - started);
    }
    return latencies.summary();
  });
}

function withPlainLog<T>(dir: string, work: (commit: (n: number) => void) => T): T {
  const file = path.join(dir, 'plain-commits.db');
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('CREATE TABLE rows (id INTEGER PRIMARY KEY, stream TEXT NOT NULL, body TEXT NOT NULL)');
    const insert = db.prepare('INSERT INTO rows (stream, body) VALUES (?, ?)');
    const orderId = '0190f5a2-0000-7000-8000-0000000000c1';
    const body = JSON.stringify({ sku: 'SAGA-1', orderId, quantity: 1 });
    return work((n) => insert.run(`stock-SAGA-${n % 50}`, body));
  } finally {
    db.close();
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${file}${suffix}`, { force: true });
  }
}
