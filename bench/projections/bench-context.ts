import type { DocumentStore } from '../../shared-kernel/document-store/port';
import type { RecordedEvent } from '../../shared-kernel/events/envelope';
import type { SqliteEventStore } from '../../shared-kernel/event-store/sqlite';
import type { Logger } from '../../shared-kernel/logging/logger';
import type { SearchIndex } from '../../shared-kernel/search-index/port';
import type { RunnerOptions } from '../../projections/engine/runner';
import type { Report } from '../support/report';

/** What every phase works with, built once by the benchmark's main. */
export interface BenchContext {
  report: Report;
  dataDir: string;
  eventStore: SqliteEventStore;
  store: DocumentStore;
  search: SearchIndex;
  logger: Logger;
  upcast: (event: RecordedEvent) => RecordedEvent;
  batchSize: number;
}

/** The worker's runner settings (config defaults), with the benchmark's batch size. */
export function runnerOptions(maxSize: number): RunnerOptions {
  return {
    maxSize,
    maxWaitMs: 5,
    maxAttempts: 5,
    backoffMs: { initial: 50, max: 1_000 },
    maintenanceIntervalMs: 1_000,
  };
}
