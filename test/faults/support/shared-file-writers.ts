import { spawn } from 'node:child_process';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ordersCollection } from '../../../projections/read-models/orders';
import { childEnv } from '../../../shared-kernel/config/child-env';
import type { DocumentStore, DocumentWrite } from '../../../shared-kernel/document-store/port';
import { openSqliteDocumentStore } from '../../../shared-kernel/document-store/sqlite/sqlite-document-store';

/** Statuses an order's document goes through, one upsert each, as the fold writes them. */
const STATUSES = ['placed', 'confirmed', 'paid'];
const BATCH = 1000;

export interface SharedFileBaseline {
  /** Seconds for one process writing every document. */
  one: number;
  /** Seconds for two processes writing half each into the same file at once. */
  shared: number;
  /** Seconds for two processes writing half each into a file of its own at once. */
  apart: number;
}

/**
 * The raw baselines of the partitioned-throughput scenario: `orders` order documents upserted
 * through the embedded document store with the orders collection's indexes, each document once
 * per status, in batches of 1000: by one process, then split between two writing at once, into
 * one file and into a file each. No projection, lease or checkpoint: what two processes gain on
 * this machine when they share nothing, and when they share one SQLite file's write lock and
 * each other's commits empty their page cache (a write transaction's start finds the file
 * changed and drops every cached page).
 */
export async function sharedFileBaseline(dir: string, orders: number): Promise<SharedFileBaseline> {
  const file = (name: string) => path.join(dir, `baseline-${name}.db`);
  return {
    one: await writers([file('one')], orders),
    shared: await writers([file('shared'), file('shared')], orders),
    apart: await writers([file('apart-1'), file('apart-2')], orders),
  };
}

/** Seconds from the common start until the last of `files.length` processes ended. */
async function writers(files: string[], orders: number): Promise<number> {
  for (const file of new Set(files)) {
    const store = openSqliteDocumentStore({ file });
    await store.ensureCollection(ordersCollection());
    await store.close();
  }
  // Each child opens its store first, then starts at the same moment as the others.
  const startAt = Date.now() + 2000;
  const shares = String(files.length);
  const ends = await Promise.all(
    files.map((file, share) =>
      runChild([file, String(orders), String(share), shares, String(startAt)]),
    ),
  );
  return (Math.max(...ends) - startAt) / 1000;
}

function runChild(args: string[]): Promise<number> {
  const child = spawn(process.execPath, [__filename, ...args], {
    env: childEnv(process.env),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code === 0) resolve(Number(output));
      else reject(new Error(`baseline writer exited with ${code}: ${output}`));
    });
  });
}

/** The child: its share of the orders (every `shares`-th), each status in turn; prints its end. */
async function writeShare(store: DocumentStore, orders: number, share: number, shares: number) {
  const ids = Array.from({ length: orders }, (_, i) => i).filter((i) => i % shares === share);
  for (const [revision, status] of STATUSES.entries()) {
    for (let from = 0; from < ids.length; from += BATCH) {
      const writes: DocumentWrite[] = ids.slice(from, from + BATCH).map((i) => ({
        collection: 'orders',
        id: `order-${i}`,
        doc: orderDoc(i, status, revision),
      }));
      await store.commitBatch({ writes });
    }
  }
}

function orderDoc(i: number, status: string, revision: number) {
  const placedAt = new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString();
  return {
    orderId: `order-${i}`,
    customerId: `customer-${(i * 7919) % 2000}`,
    status,
    lines: [{ sku: `SKU-${i % 50}`, quantity: 2, unitPrice: { amount: '19.99', currency: 'EUR' } }],
    total: { amount: '39.98', currency: 'EUR' },
    statusHistory: STATUSES.slice(0, revision + 1).map((s) => ({ status: s, at: placedAt })),
    placedAt,
    updatedAt: placedAt,
    version: revision,
  };
}

if (require.main === module) {
  const [file, orders, share, shares, startAt] = process.argv.slice(2) as [
    string,
    string,
    string,
    string,
    string,
  ];
  void (async () => {
    const store = openSqliteDocumentStore({ file });
    await sleep(Math.max(0, Number(startAt) - Date.now()));
    await writeShare(store, Number(orders), Number(share), Number(shares));
    process.stdout.write(String(Date.now()));
    await store.close();
  })();
}
