import { backoffDelayMs, type Backoff } from '../../shared-kernel/backoff';
import type { Logger } from '../../shared-kernel/logging/logger';

/** A store that is away: spread the retries, but keep a floor so they do not hammer it. */
const BACKOFF: Backoff = { initialMs: 100, maxMs: 2000, jitter: 'equal' };

/**
 * Tries `task` now and, if that fails, again with back-off in the background until it
 * succeeds or `forMs` has passed (after which what it would fix has expired by itself). The
 * returned promise settles when the first attempt has, and never rejects: the caller has
 * already decided what to answer. A failure is logged once, and so is the recovery.
 */
export async function settleInBackground(
  logger: Logger,
  what: string,
  forMs: number,
  task: () => Promise<void>,
): Promise<void> {
  const error = await task().then(
    () => null,
    (cause: unknown) => cause,
  );
  if (error === null) return;
  logger.warn(`could not ${what}; retrying in the background`, { error: messageOf(error) });
  const giveUpAt = Date.now() + forMs;
  const retry = (attempt: number) => {
    const waitMs = backoffDelayMs(BACKOFF, attempt);
    const timer = setTimeout(() => {
      task().then(
        () => logger.info(`did ${what} after retrying`),
        (cause: unknown) => {
          if (Date.now() + waitMs < giveUpAt) retry(attempt + 1);
          else logger.warn(`gave up trying to ${what}`, { error: messageOf(cause) });
        },
      );
    }, waitMs);
    timer.unref();
  };
  retry(1);
}

function messageOf(error: unknown): string {
  const cause = (error as { cause?: unknown } | null)?.cause;
  const own = error instanceof Error ? error.message : String(error);
  return cause instanceof Error ? `${own}: ${cause.message}` : own;
}
