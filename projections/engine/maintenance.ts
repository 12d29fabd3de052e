import { serveDeadLetterRequests } from './dead-letter-requests';
import { lagBehind } from './lag';
import type { RunnerContext } from './runner-context';
import { stateForLag } from './status';

export interface Maintenance {
  /**
   * One round: measure the lag, then (between batches) beat, serve dead-letter requests and
   * look whether the stored checkpoint moved.
   */
  tick(): Promise<void>;
  /** Acts on `strata dead-letters retry|skip`; the caller holds the batch lock. */
  serveDeadLetterRequests(): Promise<void>;
}

/**
 * The runner's housekeeping, on a timer. Lag is measured outside the batch lock, so it keeps
 * growing while a batch is slow or hangs. The idle heartbeat is taken inside it: a processor
 * stuck in a batch (a hung store or broker call) stops beating unless the batch itself reports
 * progress (an effect's commands completing), so `/readyz` tells a hung processor from a busy
 * or an idle one.
 */
export function createMaintenance(
  context: RunnerContext,
  /** Ends the open subscription: the loop resubscribes from the stored checkpoint. */
  resubscribe: () => Promise<void>,
): Maintenance {
  const { deps, status } = context;
  let measuring = false;
  let beating = false;

  async function serveRequests(): Promise<void> {
    await serveDeadLetterRequests({
      processor: context.name,
      store: deps.store,
      eventStore: deps.eventStore,
      handles: deps.spec.projection.handles,
      checkpoint: context.checkpoint,
      parked: context.parked,
      commit: (events, extraWrites) => context.commit(events, null, extraWrites),
      logger: deps.logger,
    });
    status.parkedStreams = context.parked.size;
  }

  async function measureLag(): Promise<void> {
    // The checkpoint before the head: read the other way round, a batch committed in between
    // would show a checkpoint above the head.
    const checkpoint = context.checkpoint;
    const head = await deps.eventStore.headPosition();
    const lag = await lagBehind(deps.eventStore, checkpoint, head, context.now());
    status.head = head;
    status.lagEvents = lag.lagEvents;
    status.lagSeconds = lag.lagSeconds;
    status.state = stateForLag(status);
  }

  return {
    serveDeadLetterRequests: serveRequests,
    async tick() {
      if (!measuring) {
        measuring = true;
        measureLag()
          .catch(context.noteError)
          .finally(() => (measuring = false));
      }
      if (beating) return;
      beating = true;
      try {
        await context.exclusive(async () => {
          context.beat();
          await serveRequests();
          await followMovedCheckpoint(context, resubscribe);
        });
      } catch (error) {
        context.noteError(error);
      } finally {
        beating = false;
      }
    },
  };
}

/**
 * A rollback, reset or swap moves the stored checkpoint under a running processor. Its next
 * commit would notice, but a quiet log brings no next commit: the processor would stay on
 * the position it held, and `status` would show it caught up while the target it now feeds
 * lacks the events after the stored checkpoint. Looked at between batches (the caller holds
 * the batch lock), where the stored checkpoint equals the one held unless another writer moved it.
 */
async function followMovedCheckpoint(
  context: RunnerContext,
  resubscribe: () => Promise<void>,
): Promise<void> {
  const stored = await context.deps.store.getCheckpoint(context.name);
  if (stored === context.checkpoint) return;
  context.deps.logger.info('checkpoint moved (rollback, reset or swap): resubscribing', {
    processor: context.name,
    held: context.checkpoint,
    stored,
  });
  // The held checkpoint stays: a batch the old subscription still hands on is then refused by
  // the store (checkpoint moved) instead of being committed after the stored one with a gap.
  context.status.checkpoint = stored;
  context.status.state = 'catching-up';
  await resubscribe();
}
