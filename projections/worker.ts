import type { DocumentStore } from '../shared-kernel/document-store/port';
import type { EventStore } from '../shared-kernel/event-store/port';
import type { RecordedEvent } from '../shared-kernel/events/envelope';
import type { Logger } from '../shared-kernel/logging/logger';
import type { BatchObserver } from '../shared-kernel/metrics/processor-metrics';
import type { Tracing } from '../shared-kernel/tracing/tracing';
import { DEAD_LETTERS } from './engine/dead-letters';
import type { ProcessorSpec } from './engine/processor';
import { checkCheckpointsBehindHead } from './engine/checkpoint-guard';
import { REBUILDS } from './engine/rebuild';
import { createRunner, type ProcessorRunner, type RunnerOptions } from './engine/runner';
import { withSharedHead } from './engine/shared-head';
import { lagBehind } from './engine/lag';
import { stateForLag, type ProcessorStatus } from './engine/status';
import type { Position } from '../shared-kernel/events/envelope';

export interface WorkerDeps {
  eventStore: EventStore;
  store: DocumentStore;
  specs: ProcessorSpec[];
  upcast: (event: RecordedEvent) => RecordedEvent;
  logger: Logger;
  options: RunnerOptions;
  metrics?: BatchObserver;
  /** Strata's aggregate stream prefixes (write-side/aggregates.ts): others are skipped. */
  streamPrefixes?: readonly string[];
  /** `--force`: start although a checkpoint is past the head of the log (warned). */
  allowCheckpointsAhead?: boolean;
  tracing?: Tracing;
}

export interface Worker {
  start(): Promise<void>;
  stop(): Promise<void>;
  statuses(): ProcessorStatus[];
  /** Every processor measured against one head, read after their checkpoints (`/status`). */
  report(): Promise<StatusReport>;
}

export interface StatusReport {
  head: Position | null;
  processors: ProcessorStatus[];
}

/** One runner per processor, each on its own subscription from its own checkpoint. */
export function createWorker(deps: WorkerDeps): Worker {
  // One head read per heartbeat for the whole worker, whatever its number of processors.
  const eventStore = withSharedHead(deps.eventStore, deps.options.maintenanceIntervalMs / 2);
  const runners: ProcessorRunner[] = deps.specs.map((spec) =>
    createRunner({
      ...deps,
      eventStore,
      spec,
      logger: deps.logger.child({ processor: spec.projection.name }),
    }),
  );
  return {
    async start() {
      for (const collection of [
        DEAD_LETTERS,
        REBUILDS,
        ...deps.specs.flatMap((s) => s.projection.collections),
      ]) {
        await deps.store.ensureCollection(collection);
      }
      await checkCheckpointsBehindHead({
        eventStore: deps.eventStore,
        store: deps.store,
        processors: runners.map((r) => r.name),
        force: deps.allowCheckpointsAhead ?? false,
        logger: deps.logger,
      });
      for (const runner of runners) runner.start();
      deps.logger.info('projection worker started', { processors: runners.map((r) => r.name) });
    },
    async stop() {
      await Promise.all(runners.map((runner) => runner.stop()));
      deps.logger.info('projection worker stopped: batches finished, checkpoints saved');
    },
    statuses: () => runners.map((runner) => runner.status()),
    async report() {
      const processors = runners.map((runner) => runner.status());
      const head = await deps.eventStore.headPosition();
      const now = new Date();
      for (const status of processors) {
        Object.assign(
          status,
          { head },
          await lagBehind(deps.eventStore, status.checkpoint, head, now),
        );
        status.state = stateForLag(status);
      }
      return { head, processors };
    },
  };
}

export interface Readiness {
  ready: boolean;
  problems: string[];
}

/**
 * Ready when every processor beats (a hung batch stops the heartbeat), has not failed, and lags
 * less than the bound. A worker that is killed or stopped does not answer at all.
 */
export function readiness(
  statuses: ProcessorStatus[],
  bounds: { heartbeatMs: number; maxLagSeconds: number },
  now: Date,
): Readiness {
  const problems: string[] = [];
  for (const status of statuses) {
    const silentMs = now.getTime() - Date.parse(status.heartbeatAt);
    if (silentMs > bounds.heartbeatMs)
      problems.push(`${status.name}: no heartbeat for ${silentMs} ms`);
    if (status.state === 'failed')
      problems.push(`${status.name}: failed (${status.lastError?.message ?? '?'})`);
    if (status.lagSeconds > bounds.maxLagSeconds) {
      problems.push(`${status.name}: lagging ${status.lagSeconds.toFixed(1)} s`);
    }
  }
  return { ready: problems.length === 0, problems };
}
