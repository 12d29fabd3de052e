import type { Statements } from './statements';

interface Waiter {
  /** `data_version` seen before the reader's last (empty) read. */
  seenVersion: number;
  wake(): void;
}

/**
 * Tells waiting subscriptions that `$all` may have grown. Appends made through this store wake
 * them at once; appends by other processes on the same file are noticed by polling
 * `PRAGMA data_version` (a counter in shared memory, no disk read), and only while someone waits.
 */
export function createChangeFeed(statements: Statements, pollIntervalMs: number) {
  const waiters = new Set<Waiter>();
  let timer: NodeJS.Timeout | undefined;

  function version(): number {
    return statements.dataVersion.get() as number;
  }

  function wake(which: (waiter: Waiter) => boolean): void {
    for (const waiter of [...waiters]) {
      if (!which(waiter)) continue;
      waiters.delete(waiter);
      waiter.wake();
    }
    if (waiters.size === 0 && timer !== undefined) {
      clearInterval(timer);
      timer = undefined;
    }
  }

  function poll(): void {
    let current: number;
    try {
      current = version();
    } catch {
      // The connection is closing; its subscriptions are being closed too.
      return wake(() => true);
    }
    wake((waiter) => waiter.seenVersion !== current);
  }

  return {
    /** Read this BEFORE reading a page, so a commit racing that read is never missed. */
    version,
    /** Resolves once the log may have changed since `seenVersion` was read. */
    nextChange(seenVersion: number): Promise<void> {
      return new Promise<void>((resolve) => {
        waiters.add({ seenVersion, wake: resolve });
        if (timer === undefined) {
          // Not unref'd: an open subscription keeps its process alive, as a server connection would.
          timer = setInterval(poll, pollIntervalMs);
        }
      });
    },
    /** Wakes every waiter: after a local commit (data_version ignores our own) or on close. */
    wakeAll(): void {
      wake(() => true);
    },
  };
}

export type ChangeFeed = ReturnType<typeof createChangeFeed>;
