import Database from 'better-sqlite3';
import path from 'node:path';
import type { Position } from '../../shared-kernel/events/envelope';
import type { EventStore } from '../../shared-kernel/event-store/port';

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
  const db = new Database(path.join(dir, 'plain-commits.db'));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('CREATE TABLE rows (id INTEGER PRIMARY KEY, stream TEXT NOT NULL, body TEXT NOT NULL)');
    const insert = db.prepare('INSERT INTO rows (stream, body) VALUES (?, ?)');
    const body = JSON.stringify({
      sku: 'SAGA-1',
      orderId: '0190f5a2-0000-7000-8000-0000000000c1',
      quantity: 1,
    });
    const started = performance.now();
    for (let i = 0; i < commits; i++) insert.run(`stock-SAGA-${i % 50}`, body);
    return commits / ((performance.now() - started) / 1000);
  } finally {
    db.close();
  }
}
