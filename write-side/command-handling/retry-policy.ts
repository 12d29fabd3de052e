import { backoffDelayMs, sleep, type Backoff } from '../../shared-kernel/backoff';
import { ConcurrencyError } from '../../shared-kernel/errors';
import type { Logger } from '../../shared-kernel/logging/logger';

/**
 * How long an unconditional command keeps retrying concurrency conflicts. Bounded by time, not
 * by a count of tries: on a hot stream many writers collide, and each must keep its turn until
 * it lands, but a command must never outlive the HTTP request timeout in the background.
 */
export interface RetryPolicy {
  /** After this long since the first try, the next conflict is given up (thrown). */
  budgetMs: number;
  backoff: Backoff;
  /** Milliseconds clock, injected so specs can drive it. */
  now: () => number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  budgetMs: 5_000,
  backoff: { initialMs: 2, maxMs: 100, jitter: 'full' },
  now: () => performance.now(),
};

/** Runs `attempt` again after each concurrency conflict (jittered back-off) until the budget. */
export async function retryingConflicts<T>(
  policy: RetryPolicy,
  logger: Logger,
  attempt: () => Promise<T>,
): Promise<T> {
  const deadline = policy.now() + policy.budgetMs;
  for (let retry = 1; ; retry++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof ConcurrencyError)) throw error;
      const delay = backoffDelayMs(policy.backoff, retry);
      if (policy.now() + delay > deadline) throw error;
      logger.debug('concurrency conflict, retrying', { streamId: error.streamId, retry });
      await sleep(delay);
    }
  }
}
