import type { DocumentStore, DocumentWrite } from '../../shared-kernel/document-store/port';
import type { EventStore } from '../../shared-kernel/event-store/port';
import type { Position, RecordedEvent } from '../../shared-kernel/events/envelope';
import type { Logger } from '../../shared-kernel/logging/logger';
import type { BatchObserver } from '../../shared-kernel/metrics/processor-metrics';
import { batchesOf, type BatchingOptions } from './batches';
import { commitEvents, isCheckpointConflict } from './commit';
import { serveDeadLetterRequests } from './dead-letter-requests';
import { parkWrite, type DeadLetter } from './dead-letters';
import { skipForeignEvents } from './foreign-events';
import type { ProcessorSpec } from './processor';
import { initialStatus, isTransient, type ProcessorStatus } from './status';

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
}

export interface ProcessorRunner {
  readonly name: string;
  start(): void;
  /** Finishes the batch in hand, commits its checkpoint, and stops. */
  stop(): Promise<void>;
  status(): ProcessorStatus;
}

/** Thrown when the stored checkpoint is not the one this runner holds (a rebuild swapped). */
class CheckpointMoved extends Error {}

export function createRunner(deps: RunnerDeps): ProcessorRunner {
  const { eventStore, store, spec, logger, options } = deps;
  const now = deps.now ?? (() => new Date());
  const name = spec.projection.name;
  const status = initialStatus(name, now());
  const ownEvents = skipForeignEvents(deps.streamPrefixes, (count) =>
    deps.metrics?.foreignEventsSkipped?.(name, count),
  );
  const parked = new Map<string, DeadLetter>();
  let checkpoint: Position | null = null;
  let stopping = false;
  let loop: Promise<void> | null = null;
  let closeSubscription: (() => Promise<void>) | null = null;
  let maintenanceTimer: NodeJS.Timeout | null = null;
  let lock: Promise<unknown> = Promise.resolve();

  /** Batches and maintenance never interleave: each sees the other's finished state. */
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    const run = lock.then(work, work);
    lock = run.catch(() => undefined);
    return run;
  };

  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const backoff = (attempt: number) =>
    Math.min(options.backoffMs.max, options.backoffMs.initial * 2 ** attempt) *
    (0.5 + Math.random() / 2);
  const noteError = (error: unknown) => {
    status.lastError = {
      message: error instanceof Error ? error.message : String(error),
      at: now().toISOString(),
    };
  };
  const commit = (
    events: readonly RecordedEvent[],
    to: Position | null,
    extraWrites: DocumentWrite[] = [],
  ) =>
    commitEvents(
      { spec, store, upcast: deps.upcast },
      { events, from: checkpoint, to, extraWrites },
    );

  async function handleBatch(events: RecordedEvent[]): Promise<void> {
    const started = Date.now();
    const last = events[events.length - 1] as RecordedEvent;
    const relevant = ownEvents(events).filter(
      (e) => spec.projection.handles.has(e.type) && !parked.has(e.streamId),
    );
    for (let attempt = 0, transientRetries = 0; ;) {
      try {
        await commit(relevant, last.position);
        break;
      } catch (error) {
        if (isCheckpointConflict(error)) throw new CheckpointMoved(String(error));
        if (stopping) throw error;
        noteError(error);
        if (isTransient(error)) {
          status.state = 'retrying';
          logger.warn('projection batch failed, store unavailable: retrying', {
            processor: name,
            error: String(error),
          });
          await sleep(backoff(transientRetries++));
          continue;
        }
        if (++attempt < options.maxAttempts) {
          await sleep(backoff(attempt));
          continue;
        }
        await isolatePoison(relevant, last.position);
        break;
      }
    }
    checkpoint = last.position;
    status.checkpoint = checkpoint;
    status.eventsProcessed += events.length;
    status.lastBatchMs = Date.now() - started;
    deps.metrics?.batchCommitted(name, events.length, status.lastBatchMs);
    status.lagSeconds = Math.max(0, (now().getTime() - Date.parse(last.recordedAt)) / 1000);
    if (status.state === 'retrying' || status.state === 'starting') status.state = 'catching-up';
  }

  /** Applies a failing batch event by event; an event that keeps failing parks its stream. */
  async function isolatePoison(events: RecordedEvent[], upTo: Position): Promise<void> {
    for (const event of events) {
      if (parked.has(event.streamId)) continue;
      let failure: unknown = null;
      for (let attempt = 0; attempt < options.maxAttempts; attempt++) {
        try {
          await commit([event], event.position);
          checkpoint = event.position;
          failure = null;
          break;
        } catch (error) {
          if (isCheckpointConflict(error)) throw new CheckpointMoved(String(error));
          if (isTransient(error)) throw error;
          failure = error;
        }
      }
      if (failure === null) continue;
      const write = parkWrite(name, event, failure, options.maxAttempts, now());
      await commit([], event.position, [write]);
      checkpoint = event.position;
      parked.set(event.streamId, write.doc as DeadLetter);
      status.parkedStreams = parked.size;
      logger.error('poison event: stream parked', {
        processor: name,
        streamId: event.streamId,
        eventId: event.eventId,
        error: String(failure),
      });
    }
    if (checkpoint !== upTo) await commit([], upTo);
  }

  async function serveRequests(): Promise<void> {
    await serveDeadLetterRequests({
      processor: name,
      store,
      eventStore,
      handles: spec.projection.handles,
      checkpoint,
      parked,
      commit: (events, extraWrites) => commit(events, null, extraWrites),
      logger,
    });
    status.parkedStreams = parked.size;
  }

  let measuring = false;
  let beating = false;
  /**
   * Lag is measured outside the batch lock, so it keeps growing while a batch hangs. The
   * heartbeat is taken inside it: a processor stuck in a batch (a hung store or broker) stops
   * beating, so `/readyz` can tell it from one that is merely idle.
   */
  async function maintain(): Promise<void> {
    if (!measuring) {
      measuring = true;
      measureLag()
        .catch(noteError)
        .finally(() => (measuring = false));
    }
    if (beating) return;
    beating = true;
    try {
      await exclusive(async () => {
        status.heartbeatAt = now().toISOString();
        await serveRequests();
      });
    } catch (error) {
      noteError(error);
    } finally {
      beating = false;
    }
  }

  async function measureLag(): Promise<void> {
    status.head = await eventStore.headPosition();
    status.lagEvents = eventStore.eventsBetween
      ? eventStore.eventsBetween(checkpoint, status.head)
      : null;
    status.lagSeconds = await oldestPendingAgeSeconds();
  }

  /**
   * Age of the first event past the checkpoint, read outside the batch lock: a processor stuck
   * in a batch (a publish that hangs) shows its lag growing instead of the age of its last commit.
   */
  async function oldestPendingAgeSeconds(): Promise<number> {
    if (status.head === null || (checkpoint !== null && checkpoint >= status.head)) return 0;
    for await (const next of eventStore.readAll({ after: checkpoint, maxCount: 1 })) {
      return Math.max(0, (now().getTime() - Date.parse(next.recordedAt)) / 1000);
    }
    return 0;
  }

  async function runLoop(): Promise<void> {
    for (let failures = 0; !stopping;) {
      try {
        await exclusive(async () => {
          checkpoint = await store.getCheckpoint(name);
          status.checkpoint = checkpoint;
          await serveRequests();
        });
        const subscription = eventStore.subscribeToAll({ after: checkpoint });
        closeSubscription = () => subscription.close();
        for await (const message of batchesOf(subscription, options)) {
          if (message.kind === 'caught-up') {
            status.state = 'caught-up';
            status.lagSeconds = 0;
          } else {
            await exclusive(() => handleBatch(message.events));
            // Catching up on the synchronous embedded store never waits on I/O: one turn of the
            // event loop per batch keeps /livez, /status and the heartbeat answering meanwhile.
            await new Promise((resolve) => setImmediate(resolve));
          }
          status.heartbeatAt = now().toISOString();
          failures = 0;
          if (stopping) break;
        }
      } catch (error) {
        if (stopping) break;
        if (error instanceof CheckpointMoved) {
          logger.info('checkpoint moved (rebuild swapped?): resubscribing', { processor: name });
          continue;
        }
        noteError(error);
        status.state = 'retrying';
        logger.error('projection failed: restarting', { processor: name, error: String(error) });
        await sleep(backoff(failures++));
      } finally {
        await closeSubscription?.();
        closeSubscription = null;
      }
    }
    status.state = 'stopped';
  }

  return {
    name,
    start() {
      if (loop) return;
      loop = runLoop();
      maintenanceTimer = setInterval(() => void maintain(), options.maintenanceIntervalMs);
      maintenanceTimer.unref();
    },
    async stop() {
      stopping = true;
      if (maintenanceTimer) clearInterval(maintenanceTimer);
      await exclusive(async () => {});
      await closeSubscription?.();
      await loop;
    },
    status: () => ({ ...status }),
  };
}
