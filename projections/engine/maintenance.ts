import { serveDeadLetterRequests } from './dead-letter-requests';
import type { RunnerContext } from './runner-context';
import { stateForLag } from './status';

export interface Maintenance {
  /** One round: measure the lag, then (between batches) beat and serve dead-letter requests. */
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
export function createMaintenance(context: RunnerContext): Maintenance {
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
    const head = await deps.eventStore.headPosition();
    const checkpoint = context.checkpoint;
    status.head = head;
    status.lagEvents = deps.eventStore.eventsBetween
      ? deps.eventStore.eventsBetween(checkpoint, head)
      : null;
    status.lagSeconds = await oldestPendingAgeSeconds(context, head);
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
 * Age of the first event past the checkpoint, read outside the batch lock: a processor stuck
 * in a batch (a publish that hangs) shows its lag growing instead of the age of its last commit.
 */
async function oldestPendingAgeSeconds(
  context: RunnerContext,
  head: string | null,
): Promise<number> {
  const checkpoint = context.checkpoint;
  if (head === null || (checkpoint !== null && checkpoint >= head)) return 0;
  for await (const next of context.deps.eventStore.readAll({ after: checkpoint, maxCount: 1 })) {
    return Math.max(0, (context.now().getTime() - Date.parse(next.recordedAt)) / 1000);
  }
  return 0;
}
