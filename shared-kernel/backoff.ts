/**
 * The one back-off rule for every retry loop in Strata: the wait before retry `n` (1-based)
 * is drawn from a window that starts at `initialMs` and doubles per retry up to `maxMs`.
 *
 * - `full` jitter, uniform in [0, window): for contention, where callers that collided must
 *   not retry in lock step (writers racing on one stream).
 * - `equal` jitter, uniform in [window/2, window): for a failing dependency, where a floor
 *   keeps the retries from hammering it while still spreading them.
 * - `none`: exactly the window (a single reconnecting client; tests).
 */
export interface Backoff {
  initialMs: number;
  maxMs: number;
  jitter: 'full' | 'equal' | 'none';
  /** [0, 1); injected so tests can pin the jitter. Defaults to Math.random. */
  random?: () => number;
}

export function backoffDelayMs(backoff: Backoff, retry: number): number {
  const doublings = Math.min(Math.max(0, retry - 1), 30);
  const window = Math.min(backoff.maxMs, backoff.initialMs * 2 ** doublings);
  const random = backoff.random ?? Math.random;
  switch (backoff.jitter) {
    case 'full':
      return Math.floor(random() * window);
    case 'equal':
      return Math.floor(window / 2 + (random() * window) / 2);
    case 'none':
      return window;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
