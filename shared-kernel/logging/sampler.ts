/**
 * Keeps a flood of one kind of log line down to one line per kind and interval. The first line
 * of a kind is written; the others within `intervalMs` are counted, and the next line written
 * after the interval says how many were left out, so nothing is silently lost from the count.
 */
export interface LogSampler {
  /** Null: leave this line out. Otherwise write it; the number says how many were left out. */
  admit(kind: string): number | null;
}

export interface LogSamplerOptions {
  intervalMs?: number;
  /** Kinds remembered at most (they are few: status x route), so memory stays bounded. */
  maxKinds?: number;
  now?: () => number;
}

export function createLogSampler(options: LogSamplerOptions = {}): LogSampler {
  const intervalMs = options.intervalMs ?? 10_000;
  const maxKinds = options.maxKinds ?? 1000;
  const now = options.now ?? Date.now;
  const windows = new Map<string, { openedAt: number; skipped: number }>();
  return {
    admit(kind) {
      const at = now();
      const window = windows.get(kind);
      if (window && at - window.openedAt < intervalMs) {
        window.skipped += 1;
        return null;
      }
      if (!window && windows.size >= maxKinds) windows.clear();
      windows.set(kind, { openedAt: at, skipped: 0 });
      return window?.skipped ?? 0;
    },
  };
}
