import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import type { DocumentStore } from '../../shared-kernel/document-store/port';
import { readModelsFile } from '../../shared-kernel/document-store/sqlite/open';
import { openSqliteDocumentStore } from '../../shared-kernel/document-store/sqlite/sqlite-document-store';
import type { RecordedEvent } from '../../shared-kernel/events/envelope';
import {
  openSqliteEventStore,
  type SqliteEventStore,
} from '../../shared-kernel/event-store/sqlite';
import { createLogger, type Logger } from '../../shared-kernel/logging/logger';
import { DEAD_LETTERS } from '../../projections/engine/dead-letters';
import type { ProcessorSpec } from '../../projections/engine/processor';
import {
  createRunner,
  type ProcessorRunner,
  type RunnerOptions,
} from '../../projections/engine/runner';
import { domainEventUpcasting } from '../../write-side/aggregates';
import {
  createCommandHandler,
  type CommandHandler,
} from '../../write-side/command-handling/command-handler';
import {
  commandDispatcher,
  type DispatchCommand,
} from '../../write-side/command-handling/dispatch';
import { eventually } from './eventually';

/**
 * The embedded stores a worker would open in `STRATA_DATA_DIR` (the event log and the
 * read-model file), a real command handler over them, and runners for processors under test.
 */
export interface ShopStores {
  readonly dataDir: string;
  readonly events: SqliteEventStore;
  readonly documents: DocumentStore;
  readonly handler: CommandHandler;
  readonly dispatch: DispatchCommand;
  readonly logger: Logger;
  upcast(event: RecordedEvent): RecordedEvent;
  /** Ensures the processor's collections (and the dead letters) exist, starts a runner on it. */
  startRunner(spec: ProcessorSpec, documents?: DocumentStore): Promise<ProcessorRunner>;
  /** Until the runner's checkpoint is the head of the log (nothing left to do, no effect running). */
  settle(runner: ProcessorRunner, timeoutMs?: number): Promise<void>;
  /** Events after the processor's committed checkpoint, read from the stores, not a worker. */
  eventsPending(processor: string): Promise<number>;
  close(): Promise<void>;
}

export const TEST_RUNNER_OPTIONS: RunnerOptions = {
  maxSize: 100,
  maxWaitMs: 5,
  maxAttempts: 3,
  backoffMs: { initial: 10, max: 200 },
  maintenanceIntervalMs: 100,
};

export function openShopStores(prefix = 'strata-shop-'): ShopStores {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), prefix));
  const logger = createLogger({
    service: 'test',
    level: 'warn',
    format: 'json',
    stream: new PassThrough().resume(),
  });
  const events = openSqliteEventStore({ dataDir });
  const documents = openSqliteDocumentStore({ file: readModelsFile(dataDir) });
  const upcasting = domainEventUpcasting();
  const handler = createCommandHandler({ store: events, upcasting, logger });
  const runners: ProcessorRunner[] = [];
  const stores: ShopStores = {
    dataDir,
    events,
    documents,
    handler,
    dispatch: commandDispatcher(handler),
    logger,
    upcast: (event) => upcasting.upcast(event),
    async startRunner(spec, into = documents) {
      for (const collection of [DEAD_LETTERS, ...spec.projection.collections]) {
        await into.ensureCollection(collection);
      }
      const runner = createRunner({
        eventStore: events,
        store: into,
        spec,
        upcast: stores.upcast,
        logger,
        options: TEST_RUNNER_OPTIONS,
      });
      runners.push(runner);
      runner.start();
      return runner;
    },
    async settle(runner, timeoutMs = 30_000) {
      await eventually(
        `${runner.name} to reach the head of the log`,
        async () => runner.status().checkpoint === (await events.headPosition()),
        { timeoutMs, describe: () => JSON.stringify(runner.status()) },
      );
    },
    async eventsPending(processor) {
      const checkpoint = await documents.getCheckpoint(processor);
      return events.eventsBetween?.(checkpoint, await events.headPosition()) ?? 0;
    },
    async close() {
      for (const runner of runners.splice(0)) await runner.stop();
      await documents.close();
      await events.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return stores;
}
