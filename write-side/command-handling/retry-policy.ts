export interface RetryPolicy {
  /** Total tries, the first included. */
  maxAttempts: number;
  /** Upper bound of the first back-off; doubles per attempt. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** [0, 1); injected so tests can pin the jitter. */
  random: () => number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 2,
  maxDelayMs: 50,
  random: Math.random,
};

/**
 * "Full jitter" back-off: writers that collided on a stream wake at random moments inside a
 * growing window, so they do not collide again in lock step.
 */
export function backoffDelayMs(policy: RetryPolicy, failedAttempt: number): number {
  const window = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (failedAttempt - 1));
  return Math.floor(policy.random() * window);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
