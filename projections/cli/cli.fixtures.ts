/** For the CLI's int specs: a temp data dir, a seeded shop, and the compiled CLI as a child. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { readModelsFile } from '../../shared-kernel/document-store/sqlite/open';
import { openSqliteDocumentStore } from '../../shared-kernel/document-store/sqlite/sqlite-document-store';
import {
  openSqliteEventStore,
  type SqliteEventStore,
} from '../../shared-kernel/event-store/sqlite';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { findAll } from '../../shared-kernel/document-store/find-all';
import type { Doc, DocumentStore } from '../../shared-kernel/document-store/port';
import type { EventStore } from '../../shared-kernel/event-store/port';
import { newId } from '../../shared-kernel/ids';
import { createLogger, type Logger } from '../../shared-kernel/logging/logger';
import { domainEventUpcasting } from '../../write-side/aggregates';
import { createCommandHandler } from '../../write-side/command-handling/command-handler';
import { DEAD_LETTERS } from '../engine/dead-letters';
import type { ProcessorSpec } from '../engine/processor';
import { createRunner, type ProcessorRunner, type RunnerOptions } from '../engine/runner';
import { createHealthApp } from '../health-app';
import { storeIdentity } from '../store-identity';
import { createWorker, type Worker } from '../worker';
import { listen } from '../../shared-kernel/http/serve';

/** The compiled CLI next to this compiled file: specs run over dist/ (or a build dir). */
export const CLI = path.join(__dirname, 'main.js');

export function tempDataDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'strata-cli-'));
}

export function quietLogger(): Logger {
  return createLogger({
    service: 'test',
    level: 'error',
    format: 'json',
    stream: new PassThrough(),
  });
}

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function spawnStrata(
  args: readonly string[],
  env: Record<string, string>,
): ChildProcessWithoutNullStreams {
  // No inherited KAFKA_BROKERS, STRATA_WORKER_URL or store URLs: each spec says what it wants.
  const base = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
  return spawn(process.execPath, [CLI, ...args], {
    env: { ...base, STRATA_WORKER_URL: 'http://127.0.0.1:9', ...env },
  });
}

export function runStrata(args: readonly string[], env: Record<string, string>): Promise<CliRun> {
  const child = spawnStrata(args, env);
  return finished(child);
}

export function finished(child: ChildProcessWithoutNullStreams): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/**
 * A shop made through the write side's command handler: `products` products, each created,
 * given stock and `priceChanges` new prices. Events: products * (2 + priceChanges).
 */
export async function seedShop(
  eventStore: EventStore,
  shop: { products: number; priceChanges: number; skuPrefix?: string },
): Promise<void> {
  const handler = createCommandHandler({
    store: eventStore,
    upcasting: domainEventUpcasting(),
    logger: quietLogger(),
  });
  const context = { correlationId: newId(), actor: 'seed', occurredAt: new Date().toISOString() };
  const one = async (n: number) => {
    const productId = newId();
    const sku = `${shop.skuPrefix ?? 'SKU'}-${String(n).padStart(5, '0')}`;
    const price = (amount: number) => ({ amount, currency: 'EUR' });
    const run = (request: Parameters<typeof handler.execute>[0]) => handler.execute(request);
    await run({
      aggregate: 'product',
      commandId: newId(),
      context,
      command: {
        type: 'CreateProduct',
        data: {
          productId,
          sku,
          name: `Product ${n}`,
          description: `Number ${n} of the seeded shop`,
          category: ['kitchen', 'garden', 'office'][n % 3] ?? 'kitchen',
          price: price(1000 + n),
          attributes: {},
        },
      },
    });
    await run({
      aggregate: 'stock',
      commandId: newId(),
      context,
      command: { type: 'ReceiveStock', data: { sku, quantity: 10 + n } },
    });
    for (let change = 1; change <= shop.priceChanges; change++) {
      await run({
        aggregate: 'product',
        commandId: newId(),
        context,
        command: {
          type: 'ChangeProductPrice',
          data: { productId, price: price(1000 + n + change) },
        },
      });
    }
  };
  const numbers = Array.from({ length: shop.products }, (_, n) => n);
  const lanes = 16;
  await Promise.all(
    Array.from({ length: lanes }, async (_, lane) => {
      for (let n = lane; n < numbers.length; n += lanes) await one(n);
    }),
  );
}

export interface SeededDataDir {
  dataDir: string;
  /** The CLI's environment for this data dir. */
  env: Record<string, string>;
  eventStore: SqliteEventStore;
  store: DocumentStore;
  /** Closes both stores and removes the directory. */
  close(): Promise<void>;
}

/** A temp data dir with a shop seeded (seedShop) and both embedded stores open on it. */
export async function seededDataDir(shop: Parameters<typeof seedShop>[1]): Promise<SeededDataDir> {
  const dataDir = tempDataDir();
  const eventStore = openSqliteEventStore({ dataDir });
  await seedShop(eventStore, shop);
  const store = openSqliteDocumentStore({ file: readModelsFile(dataDir) });
  return {
    dataDir,
    env: { STRATA_DATA_DIR: dataDir },
    eventStore,
    store,
    async close() {
      await store.close();
      await eventStore.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Small batches and short back-offs, for specs; maintenance as often as asked. */
export function quickRunnerOptions(maintenanceIntervalMs: number): RunnerOptions {
  return {
    maxSize: 500,
    maxWaitMs: 5,
    maxAttempts: 2,
    backoffMs: { initial: 5, max: 20 },
    maintenanceIntervalMs,
  };
}

export interface ServedWorker {
  worker: Worker;
  url: string;
  stop(): Promise<void>;
}

/** A worker of `specs` in this process with its health app (`/status`) on a free port. */
export async function serveWorker(deps: {
  eventStore: EventStore;
  store: DocumentStore;
  dataDir: string;
  specs: ProcessorSpec[];
  maintenanceIntervalMs: number;
}): Promise<ServedWorker> {
  const upcasting = domainEventUpcasting();
  const worker = createWorker({
    eventStore: deps.eventStore,
    store: deps.store,
    specs: deps.specs,
    upcast: (event) => upcasting.upcast(event),
    logger: quietLogger(),
    options: quickRunnerOptions(deps.maintenanceIntervalMs),
    leases: { workerId: 'cli-spec', ttlMs: 5_000 },
  });
  await worker.start();
  const app = createHealthApp({
    worker,
    pings: {},
    bounds: { heartbeatMs: 3_600_000, maxLagSeconds: 30 },
    stores: storeIdentity({ dataDir: deps.dataDir }),
    logger: quietLogger(),
  });
  const { server, port } = await listen(app, 0);
  return {
    worker,
    url: `http://127.0.0.1:${port}`,
    async stop() {
      await new Promise((resolve) => server.close(resolve));
      await worker.stop();
    },
  };
}

/** Runs one processor the way the worker does, in this process, until it has caught up. */
export async function runUntilCaughtUp(
  deps: { eventStore: EventStore; store: DocumentStore; spec: ProcessorSpec },
  options: { maintenanceIntervalMs?: number } = {},
): Promise<ProcessorRunner> {
  const runner = createRunner({
    ...deps,
    upcast: (event) => domainEventUpcasting().upcast(event),
    logger: quietLogger(),
    options: quickRunnerOptions(options.maintenanceIntervalMs ?? 100),
  });
  for (const collection of [DEAD_LETTERS, ...deps.spec.projection.collections]) {
    await deps.store.ensureCollection(collection);
  }
  runner.start();
  const head = await deps.eventStore.headPosition();
  try {
    await until(() => {
      const status = runner.status();
      return status.state === 'caught-up' && status.checkpoint === head;
    });
  } catch (error) {
    const status = runner.status();
    await runner.stop();
    throw new Error(`${String(error)}: ${JSON.stringify(status)}`, { cause: error });
  }
  return runner;
}

export async function until(
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Every document of a collection's live target, in id order, read page by page. */
export function allDocuments(store: DocumentStore, collection: string): Promise<Doc[]> {
  return findAll(store, collection);
}
