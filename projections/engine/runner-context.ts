import { backoffDelayMs } from '../../shared-kernel/backoff';
import type { DocumentStore, DocumentWrite } from '../../shared-kernel/document-store/port';
import type { EventStore } from '../../shared-kernel/event-store/port';
import type { Position, RecordedEvent } from '../../shared-kernel/events/envelope';
import type { Logger } from '../../shared-kernel/logging/logger';
import type { BatchObserver } from '../../shared-kernel/metrics/processor-metrics';
import type { Tracing } from '../../shared-kernel/tracing/tracing';
import type { BatchingOptions } from './batches';
import { documentCache } from './document-cache';
import { commitEvents, isCheckpointConflict, isLeaseLost, type CommitOwnership } from './commit';
import type { DeadLetter } from './dead-letters';
import { skipForeignEvents, type ForeignEventFilter } from './foreign-events';
import type { ProcessorSpec } from './processor';
import { initialStatus, type ProcessorStatus } from './status';

export interface RunnerOptions extends BatchingOptions {
  /** Failures of one batch (not transient) before its events are tried one by one and parked. */
  maxAttempts: number;
  backoffMs: { initial: number; max: number };
  /** How often the heartbeat, lag and dead-letter requests are looked at. */
  maintenanceIntervalMs: number;
}

export interface RunnerDeps {
  eventStore: EventStore;
  store: DocumentStore;
  spec: ProcessorSpec;
  /** Brings stored events to their current shape before a projection sees them. */
  upcast: (event: RecordedEvent) => RecordedEvent;
  logger: Logger;
  options: RunnerOptions;
  now?: () => Date;
  /** Told of every committed batch (events, duration), for `/metrics`. */
  metrics?: BatchObserver;
  /** Strata's aggregate stream prefixes: events of other streams are skipped and counted. */
  streamPrefixes?: readonly string[];
  /** A span per batch, linked to the trace of each event in it. */
  tracing?: Tracing;
  /** The lease this runner holds (set when workers share the stores): fences every commit. */
  ownership?: CommitOwnership;
}

/**
 * What the subscription loop, poison isolation and maintenance of one runner share. Each of
 * them changes only its own part: the loop and isolation move the checkpoint, maintenance the
 * head and lag figures, both the heartbeat. Batches and maintenance never interleave (`exclusive`).
 */
export interface RunnerContext {
  readonly deps: RunnerDeps;
  readonly name: string;
  readonly status: ProcessorStatus;
  /** Streams parked on a poison event, by stream id: their later events are held (skipped). */
  readonly parked: Map<string, DeadLetter>;
  /** Drops (and counts) events of streams that are not Strata's aggregates. */
  readonly ownEvents: ForeignEventFilter;
  /** The checkpoint this runner last committed or read. */
  checkpoint: Position | null;
  stopping: boolean;
  now(): Date;
  exclusive<T>(work: () => Promise<T>): Promise<T>;
  /**
   * Folds and commits `events` from `checkpoint` to `to` (null: the checkpoint stays), with the
   * documents the runner's earlier batches read and wrote kept in memory (LIVE_DOCUMENTS).
   */
  commit(
    events: readonly RecordedEvent[],
    to: Position | null,
    extraWrites?: readonly DocumentWrite[],
  ): Promise<void>;
  /** Forgets the documents kept across batches: the stored ones may have changed meanwhile. */
  forgetDocuments(): void;
  /** The processor showed life: made progress in a batch, or finished one, or idles healthily. */
  beat(): void;
  noteError(error: unknown): void;
  /** Jittered exponential back-off for the given failure count. */
  backoffMs(failures: number): number;
}

/** Thrown when the stored checkpoint is not the one this runner holds (a rebuild swapped). */
export class CheckpointMoved extends Error {}

/** Thrown when another worker took this runner's lease: the runner ends, it never retries. */
export class LeaseLost extends Error {}

/**
 * The store's refusals that end a batch rather than fail it: a checkpoint conflict as
 * CheckpointMoved, a lost lease as LeaseLost; null for any other failure.
 */
export function asInterruption(error: unknown): CheckpointMoved | LeaseLost | null {
  if (error instanceof LeaseLost) return error;
  if (isLeaseLost(error)) return new LeaseLost(String(error));
  return isCheckpointConflict(error) ? new CheckpointMoved(String(error)) : null;
}

/**
 * Documents a runner keeps across its batches. While it runs it is the only writer of its
 * documents (one owner per processor or partition, fenced), so what it read or committed is what
 * the store holds, and a busy document (a SKU's inventory, its stock item's latest audit entry) is not read and parsed
 * again for every batch. Forgotten whenever that may have stopped being true: a failed commit
 * (it may have half-happened on a server), and every (re)subscription, which is where a moved
 * checkpoint (a rebuild's swap, a reset, a rollback) or a takeover brings the runner back.
 */
const LIVE_DOCUMENTS = 5_000;

export function createRunnerContext(deps: RunnerDeps): RunnerContext {
  const { options } = deps;
  const now = deps.now ?? (() => new Date());
  let lock: Promise<unknown> = Promise.resolve();
  let documents = documentCache(LIVE_DOCUMENTS);
  const context: RunnerContext = {
    deps,
    name: deps.spec.projection.name,
    status: initialStatus(deps.spec.projection.name, now()),
    parked: new Map(),
    ownEvents: skipForeignEvents(deps.streamPrefixes, (count) =>
      deps.metrics?.foreignEventsSkipped?.(deps.spec.projection.name, count),
    ),
    checkpoint: null,
    stopping: false,
    now,
    exclusive<T>(work: () => Promise<T>): Promise<T> {
      const run = lock.then(work, work);
      lock = run.catch(() => undefined);
      return run;
    },
    async commit(events, to, extraWrites = []) {
      try {
        await commitEvents(
          {
            spec: deps.spec,
            store: deps.store,
            upcast: deps.upcast,
            documents,
            ...(deps.ownership ? { ownership: deps.ownership } : {}),
          },
          { events, from: context.checkpoint, to, extraWrites, onProgress: context.beat },
        );
      } catch (error) {
        context.forgetDocuments();
        throw error;
      }
    },
    forgetDocuments() {
      documents = documentCache(LIVE_DOCUMENTS);
    },
    beat() {
      context.status.heartbeatAt = now().toISOString();
    },
    noteError(error) {
      context.status.lastError = {
        message: error instanceof Error ? error.message : String(error),
        at: now().toISOString(),
      };
    },
    // Equal jitter: a failing store is not hammered, and runners do not retry in lock step.
    backoffMs: (failures) =>
      backoffDelayMs(
        { initialMs: options.backoffMs.initial, maxMs: options.backoffMs.max, jitter: 'equal' },
        failures + 1,
      ),
  };
  return context;
}
