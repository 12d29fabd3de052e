import { START, excludeSystemEvents, streamNameFilter } from '@eventstore/db-client';
import type { AllStreamSubscription } from '@eventstore/db-client';
import { backoffDelayMs } from '../../backoff';
import { UnavailableError } from '../../errors';
import type { Position } from '../../events/envelope';
import type { Logger } from '../../logging/logger';
import type { AllSubscription, SubscribeToAllOptions, SubscriptionMessage } from '../port';
import { startCatchUp, stepCatchUp, withTarget } from './catch-up-progress';
import type { CatchUpProgress, ResubscribePolicy } from './catch-up-progress';
import { mapEsdbError } from './esdb-errors';
import type { EsdbConnection } from './esdb-reads';
import { readEsdbHeadPosition } from './esdb-reads';
import { ownEvent } from './own-events';
import { decodeEsdbPosition, encodeEsdbPosition } from './position';

export interface SubscriptionDeps {
  logger: Logger;
  policy: ResubscribePolicy;
  /** Called (possibly more than once) when the subscription stops, so the store can forget it. */
  onClosed(subscription: AllSubscription): void;
}

/**
 * A catch-up subscription to `$all` that survives dropped connections: it resubscribes from the
 * last delivered position with backoff, and drops replays, so the consumer sees neither a gap
 * nor a duplicate. It pulls from the client's stream one event at a time, so a slow consumer
 * pauses the gRPC stream (flow control) instead of filling memory.
 *
 * Caught-up is decided against the head read before subscribing, not the client's `caughtUp`
 * event: that event fires while earlier events may still sit in the stream's buffer, so it
 * could be reported before the stored events it vouches for were delivered.
 */
export function subscribeEsdbAll(
  connection: EsdbConnection,
  options: SubscribeToAllOptions,
  deps: SubscriptionDeps,
): AllSubscription {
  const after = options.after ?? null;
  if (after !== null) decodeEsdbPosition(after); // a malformed start is refused now, not later
  let closed = false;
  let current: AllStreamSubscription | undefined;
  let wake: (() => void) | undefined;

  async function* deliver(): AsyncGenerator<SubscriptionMessage> {
    try {
      yield* deliverUntilClosed();
    } finally {
      closed = true;
      deps.onClosed(subscription);
    }
  }

  async function* deliverUntilClosed(): AsyncGenerator<SubscriptionMessage> {
    let progress: CatchUpProgress = startCatchUp(after);
    let failures = 0;
    while (!closed) {
      let dropped: unknown = new UnavailableError(
        `EventStoreDB at ${connection.url} ended the subscription`,
      );
      try {
        if (progress.target === undefined) {
          const set = withTarget(progress, await readEsdbHeadPosition(connection));
          progress = set.progress;
          if (set.caughtUpNow) yield { kind: 'caught-up', position: progress.last };
        }
        if (closed) return; // closed while the head was being read
        current = openClientSubscription(connection, progress.last);
        // A confirmed subscription is a working connection: later drops start the count afresh.
        current.once('confirmation', () => (failures = 0));
        for await (const { event } of current) {
          if (event === undefined) continue;
          const recorded = ownEvent(connection, event);
          if (recorded === null) continue;
          const step = stepCatchUp(progress, encodeEsdbPosition(event.position));
          if (!step.deliver) continue;
          progress = step.progress;
          yield { kind: 'event', event: recorded };
          if (step.caughtUpAfter) yield { kind: 'caught-up', position: progress.last };
        }
      } catch (error) {
        dropped = error;
      } finally {
        await stopClientSubscription(current);
        current = undefined;
      }
      if (closed) return;
      const problem = mapEsdbError(dropped, { url: connection.url });
      if (!(problem instanceof UnavailableError)) throw problem;
      failures += 1;
      if (failures > deps.policy.maxConsecutiveFailures) {
        throw new UnavailableError(
          `subscription to $all gave up after ${failures - 1} retries: ${problem.message}`,
        );
      }
      // Equal jitter: every processor's subscription drops together when the server goes away.
      const delayMs = backoffDelayMs(
        { initialMs: deps.policy.initialDelayMs, maxMs: deps.policy.maxDelayMs, jitter: 'equal' },
        failures,
      );
      deps.logger.warn('subscription to $all dropped; resubscribing', {
        from: progress.last,
        attempt: failures,
        delayMs,
        error: problem.message,
      });
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delayMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
    }
  }

  const messages = deliver();
  const subscription: AllSubscription = {
    [Symbol.asyncIterator]: () => messages,
    async close() {
      if (closed) return;
      closed = true;
      wake?.();
      // Destroying the client stream ends a pending read, so a waiting consumer is released.
      await stopClientSubscription(current);
      deps.onClosed(subscription);
    },
  };
  return subscription;
}

/** Filtered on the server: Strata's aggregate streams only, when their prefixes are known. */
function openClientSubscription(
  { client, streamPrefixes }: EsdbConnection,
  from: Position | null,
): AllStreamSubscription {
  return client.subscribeToAll({
    fromPosition: from === null ? START : decodeEsdbPosition(from),
    filter:
      streamPrefixes.length > 0
        ? streamNameFilter({ prefixes: [...streamPrefixes] })
        : excludeSystemEvents(),
  });
}

async function stopClientSubscription(
  subscription: AllStreamSubscription | undefined,
): Promise<void> {
  if (subscription === undefined || subscription.destroyed) return;
  try {
    await subscription.unsubscribe();
  } catch {
    // Unsubscribing a call that already failed has nothing left to stop.
  }
  subscription.destroy();
}
