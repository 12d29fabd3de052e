import { sleep } from '../../shared-kernel/backoff';
import type { AllSubscription } from '../../shared-kernel/event-store/port';
import type { RecordedEvent } from '../../shared-kernel/events/envelope';
import { TRACING_OFF } from '../../shared-kernel/tracing/tracing';
import { batchesOf } from './batches';
import { inPartition } from './partitions';
import { isolatePoison } from './poison-isolation';
import { CheckpointMoved, LeaseLost, asInterruption, type RunnerContext } from './runner-context';
import { isTransient } from './status';

/**
 * The runner's main loop: read the checkpoint, subscribe after it, fold and commit batch after
 * batch. A failure resubscribes from the stored checkpoint after a back-off; a checkpoint moved
 * under the runner (a rebuild swapped) resubscribes at once. Ends when the runner stops.
 */
export function startSubscriptionLoop(
  context: RunnerContext,
  serveDeadLetterRequests: () => Promise<void>,
): SubscriptionLoop {
  const open: OpenSubscription = { subscription: null };
  const finished = runLoop(context, serveDeadLetterRequests, open);
  return { finished, interrupt: async () => open.subscription?.close() };
}

interface OpenSubscription {
  subscription: AllSubscription | null;
}

export interface SubscriptionLoop {
  /** Settles once the runner is stopping and the loop has left its batch. */
  readonly finished: Promise<void>;
  /** Ends the current subscription, so a loop waiting for live events notices `stopping`. */
  interrupt(): Promise<void>;
}

async function runLoop(
  context: RunnerContext,
  serveDeadLetterRequests: () => Promise<void>,
  open: OpenSubscription,
): Promise<void> {
  const { deps, status, name } = context;
  const tracing = deps.tracing ?? TRACING_OFF;
  for (let failures = 0; !context.stopping;) {
    try {
      await context.exclusive(async () => {
        await resumeFromStoredCheckpoint(context);
        await serveDeadLetterRequests();
      });
      const subscription = deps.eventStore.subscribeToAll({
        after: context.checkpoint,
        decodes: (type, streamId) => folds(context, type, streamId),
        types: deps.spec.projection.handles,
        partition: deps.spec.partition,
      });
      open.subscription = subscription;
      const folded = (event: RecordedEvent) => folds(context, event.type, event.streamId);
      for await (const message of batchesOf(subscription, deps.options, folded)) {
        if (message.kind === 'caught-up') {
          status.state = 'caught-up';
          status.lagSeconds = 0;
          status.lagEvents = 0;
        } else {
          const { events } = message;
          await context.exclusive(() =>
            tracing.linkedTo(
              `${name} batch`,
              events.map((event) => event.metadata),
              () => handleBatch(context, events),
              { attributes: { 'strata.processor': name, 'strata.events': events.length } },
            ),
          );
          // Catching up on the synchronous embedded store never waits on I/O: one turn of the
          // event loop per batch keeps /livez, /status and the heartbeat answering meanwhile.
          await new Promise((resolve) => setImmediate(resolve));
        }
        context.beat();
        failures = 0;
        if (context.stopping) break;
      }
    } catch (error) {
      if (error instanceof LeaseLost) {
        // Another worker owns the processor now and goes on from the last committed batch.
        deps.logger.warn('lease lost: this worker stops running the processor', {
          processor: name,
          error: error.message,
        });
        deps.metrics?.commitFenced?.(name);
        deps.ownership?.lost(error.message);
        context.stopping = true;
        status.state = 'standby';
        break;
      }
      if (context.stopping) break;
      if (error instanceof CheckpointMoved) {
        deps.logger.info('checkpoint moved (rebuild swapped?): resubscribing', { processor: name });
        continue;
      }
      context.noteError(error);
      status.state = 'retrying';
      deps.logger.error('projection failed: restarting', { processor: name, error: String(error) });
      await sleep(context.backoffMs(failures++));
    } finally {
      const closing = open.subscription;
      open.subscription = null;
      await closing?.close();
    }
  }
  if (status.state !== 'standby') status.state = 'stopped';
}

/** Where the runner goes on from: the checkpoint as stored (a rebuild may have moved it). */
async function resumeFromStoredCheckpoint(context: RunnerContext): Promise<void> {
  context.forgetDocuments();
  context.checkpoint = await context.deps.store.getCheckpoint(context.name);
  context.status.checkpoint = context.checkpoint;
}

/**
 * The events of a batch the projection gets to see: Strata's own (foreign-events.ts), those it
 * handles, of streams in its partition (all when whole) and not parked.
 */
function eventsForProjection(context: RunnerContext, events: readonly RecordedEvent[]) {
  return context
    .ownEvents(events)
    .filter((e) => folds(context, e.type, e.streamId) && !context.parked.has(e.streamId));
}

/** Whether the projection folds an event of this type and stream; the store decodes no other. */
function folds({ deps }: RunnerContext, type: string, streamId: string): boolean {
  return deps.spec.projection.handles.has(type) && inPartition(deps.spec.partition, streamId);
}

/**
 * Commits one batch, retrying: transient failures (a store away) forever, others up to
 * `maxAttempts`, after which the batch is applied event by event and poison events park their
 * streams. The checkpoint always ends at the batch's last event.
 */
async function handleBatch(context: RunnerContext, events: RecordedEvent[]): Promise<void> {
  const { deps, status, name } = context;
  const started = Date.now();
  const last = events[events.length - 1] as RecordedEvent;
  const relevant = eventsForProjection(context, events);
  for (let attempt = 0, transientRetries = 0; ;) {
    try {
      await context.commit(relevant, last.position);
      break;
    } catch (error) {
      const interruption = asInterruption(error);
      if (interruption) throw interruption;
      if (context.stopping) throw error;
      context.noteError(error);
      if (isTransient(error)) {
        status.state = 'retrying';
        deps.logger.warn('projection batch failed, store unavailable: retrying', {
          processor: name,
          error: String(error),
        });
        await sleep(context.backoffMs(transientRetries++));
        continue;
      }
      if (++attempt < deps.options.maxAttempts) {
        await sleep(context.backoffMs(attempt));
        continue;
      }
      await isolatePoison(context, relevant, last.position);
      break;
    }
  }
  // The log events the batch moved past: a subscription by type delivers only some of them.
  const moved = deps.eventStore.eventsBetween?.(context.checkpoint, last.position) ?? events.length;
  context.checkpoint = last.position;
  status.checkpoint = last.position;
  status.eventsProcessed += moved;
  status.lastBatchMs = Date.now() - started;
  deps.metrics?.batchCommitted(name, moved, status.lastBatchMs);
  status.lagSeconds = Math.max(0, (context.now().getTime() - Date.parse(last.recordedAt)) / 1000);
  if (status.state === 'retrying' || status.state === 'starting') status.state = 'catching-up';
}
