import type { DocumentStore, Lease } from '../shared-kernel/document-store/port';
import type { EventStore } from '../shared-kernel/event-store/port';
import type { RecordedEvent } from '../shared-kernel/events/envelope';
import type { Logger } from '../shared-kernel/logging/logger';
import type { BatchObserver } from '../shared-kernel/metrics/processor-metrics';
import type { Tracing } from '../shared-kernel/tracing/tracing';
import { DEAD_LETTERS } from './engine/dead-letters';
import { createOwnership } from './engine/ownership';
import type { ProcessorSpec } from './engine/processor';
import { checkCheckpointsBehindHead } from './engine/checkpoint-guard';
import { checkPartitionLayouts } from './engine/partition-layout';
import { REBUILDS } from './engine/rebuild';
import { createRunner, type RunnerOptions } from './engine/runner';
import { withSharedHead } from './engine/shared-head';
import { lagBehind } from './engine/lag';
import {
  initialStatus,
  stateForLag,
  type LeaseStatus,
  type ProcessorStatus,
} from './engine/status';
import type { Position } from '../shared-kernel/events/envelope';

export interface WorkerDeps {
  eventStore: EventStore;
  store: DocumentStore;
  specs: ProcessorSpec[];
  upcast: (event: RecordedEvent) => RecordedEvent;
  logger: Logger;
  /** `maintenanceIntervalMs` is also the lease heartbeat: every lease is renewed that often. */
  options: RunnerOptions;
  /** This worker's id (unique among the workers on the same stores) and the lease time. */
  leases: { workerId: string; ttlMs: number };
  metrics?: BatchObserver;
  /** Strata's aggregate stream prefixes (write-side/aggregates.ts): others are skipped. */
  streamPrefixes?: readonly string[];
  /** `--force`: start although a checkpoint is past the head of the log (warned). */
  allowCheckpointsAhead?: boolean;
  tracing?: Tracing;
  now?: () => Date;
}

export interface Worker {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Every processor: those this worker runs, and the others in `standby` with their owner. */
  statuses(): ProcessorStatus[];
  /** Every processor measured against one head, read after their checkpoints (`/status`). */
  report(): Promise<StatusReport>;
}

export interface StatusReport {
  head: Position | null;
  processors: ProcessorStatus[];
}

/**
 * Runs the processors whose leases it holds, one runner each on its own subscription from its
 * own checkpoint, fenced by the lease. Any number of workers may share the stores: on every
 * heartbeat each renews its leases and takes or hands over processors so that every processor
 * has one owner and the workers' counts differ by at most one (engine/ownership.ts).
 */
export function createWorker(deps: WorkerDeps): Worker {
  const now = deps.now ?? (() => new Date());
  // One head read per heartbeat for the whole worker, whatever its number of processors.
  const eventStore = withSharedHead(deps.eventStore, deps.options.maintenanceIntervalMs / 2);
  const specs = new Map(deps.specs.map((spec) => [spec.projection.name, spec]));
  const ownership = createOwnership({
    store: deps.store,
    workerId: deps.leases.workerId,
    leaseTtlMs: deps.leases.ttlMs,
    processors: [...specs.keys()],
    logger: deps.logger,
    runnerFor: (name, fence) =>
      createRunner({
        ...deps,
        eventStore,
        spec: specs.get(name) as ProcessorSpec,
        logger: deps.logger.child({ processor: name }),
        ownership: fence,
      }),
  });
  let timer: NodeJS.Timeout | null = null;
  let ticking: Promise<void> | null = null;
  let checkpoints = new Map<string, string>();

  const tick = async () => {
    try {
      await ownership.tick();
      const stored = await deps.store.getCheckpoints();
      checkpoints = new Map(stored.map((c) => [c.processor, c.position]));
    } catch (error) {
      deps.logger.error('lease heartbeat failed', { error: String(error) });
    }
  };

  function statuses(): ProcessorStatus[] {
    const at = now();
    const leases = new Map(ownership.view().map((lease) => [lease.name, lease]));
    return [...specs.keys()].map((name) => {
      const held = ownership.held.get(name);
      if (held) return { ...held.runner.status(), lease: leaseStatus(held.lease, at) };
      const lease = leases.get(name);
      return {
        ...initialStatus(name, at),
        state: 'standby' as const,
        checkpoint: checkpoints.get(name) ?? null,
        lease: lease ? leaseStatus(lease, at) : null,
      };
    });
  }

  return {
    async start() {
      for (const collection of [
        DEAD_LETTERS,
        REBUILDS,
        ...deps.specs.flatMap((s) => s.projection.collections),
      ]) {
        await deps.store.ensureCollection(collection);
      }
      await checkPartitionLayouts(deps.store, deps.specs);
      await checkCheckpointsBehindHead({
        eventStore: deps.eventStore,
        store: deps.store,
        processors: [...specs.keys()],
        force: deps.allowCheckpointsAhead ?? false,
        logger: deps.logger,
      });
      await tick();
      timer = setInterval(() => {
        ticking ??= tick().finally(() => (ticking = null));
      }, deps.options.maintenanceIntervalMs);
      timer.unref();
      deps.logger.info('projection worker started', {
        worker: deps.leases.workerId,
        running: [...ownership.held.keys()],
      });
    },
    async stop() {
      if (timer) clearInterval(timer);
      await ticking;
      await ownership.releaseAll();
      deps.logger.info(
        'projection worker stopped: batches finished, checkpoints saved, leases released',
      );
    },
    statuses,
    async report() {
      const processors = statuses();
      const head = await deps.eventStore.headPosition();
      const at = now();
      for (const status of processors) {
        Object.assign(
          status,
          { head },
          await lagBehind(deps.eventStore, status.checkpoint, head, at),
        );
        // A standby processor stays standby: its owner is another worker.
        if (status.state !== 'standby') status.state = stateForLag(status);
      }
      return { head, processors };
    },
  };
}

function leaseStatus(lease: Lease, now: Date): LeaseStatus {
  const { owner, token, acquiredAt, renewedAt, expiresAt } = lease;
  const ageSeconds = Math.max(0, (now.getTime() - Date.parse(renewedAt)) / 1000);
  return { owner, token, acquiredAt, renewedAt, expiresAt, ageSeconds };
}

export interface Readiness {
  ready: boolean;
  problems: string[];
}

/**
 * Ready when every processor it runs beats (a hung batch stops the heartbeat), has not failed,
 * and lags less than the bound; processors other workers run (standby) are theirs to report.
 * A worker that is killed or stopped does not answer at all.
 */
export function readiness(
  statuses: ProcessorStatus[],
  bounds: { heartbeatMs: number; maxLagSeconds: number },
  now: Date,
): Readiness {
  const problems: string[] = [];
  for (const status of statuses) {
    if (status.state === 'standby') continue;
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
