import type { Backoff } from '../../shared-kernel/backoff';

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
