import type { DocumentStore } from '../shared-kernel/document-store/port';
import type { EventStore } from '../shared-kernel/event-store/port';
import type { RecordedEvent } from '../shared-kernel/events/envelope';
import type { Logger } from '../shared-kernel/logging/logger';
import type { BatchObserver } from '../shared-kernel/metrics/processor-metrics';
import type { Tracing } from '../shared-kernel/tracing/tracing';
import { DEAD_LETTERS } from './engine/dead-letters';
import type { ProcessorSpec } from './engine/processor';
import { REBUILDS } from './engine/rebuild';
import { createRunner, type ProcessorRunner, type RunnerOptions } from './engine/runner';
import type { ProcessorStatus } from './engine/status';

export interface WorkerDeps {
  eventStore: EventStore;
  store: DocumentStore;
  specs: ProcessorSpec[];
  upcast: (event: RecordedEvent) => RecordedEvent;
  logger: Logger;
  options: RunnerOptions;
  metrics?: BatchObserver;
  tracing?: Tracing;
}

export interface Worker {
  start(): Promise<void>;
  stop(): Promise<void>;
  statuses(): ProcessorStatus[];
}

/** One runner per processor, each on its own subscription from its own checkpoint. */
export function createWorker(deps: WorkerDeps): Worker {
  const runners: ProcessorRunner[] = deps.specs.map((spec) =>
    createRunner({ ...deps, spec, logger: deps.logger.child({ processor: spec.projection.name }) }),
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
      for (const runner of runners) runner.start();
      deps.logger.info('projection worker started', { processors: runners.map((r) => r.name) });
    },
    async stop() {
      await Promise.all(runners.map((runner) => runner.stop()));
      deps.logger.info('projection worker stopped: batches finished, checkpoints saved');
    },
    statuses: () => runners.map((runner) => runner.status()),
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
