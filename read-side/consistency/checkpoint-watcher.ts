import { createHash } from 'node:crypto';
import type { DocumentStore } from '../../shared-kernel/document-store/port';
import { UnavailableError } from '../../shared-kernel/errors';
import type { Position } from '../../shared-kernel/events/envelope';
import type { Logger } from '../../shared-kernel/logging/logger';

/**
 * The one reader of projection checkpoints in the query process. Requests never poll: one that
 * needs a position the read models have not reached parks a waiter here, and this watcher polls
 * `getCheckpoints()` every `activeMs` only while waiters exist (slowly otherwise) and wakes
 * each waiter once its processors are there. The known checkpoints lag the store by at most
 * one poll, never lead it: a position read here is always one the read models have passed.
 */
export interface CheckpointWatcher {
  /** The last checkpoint seen for `processor`, or null before it committed anything. */
  current(processor: string): Position | null;
  /** Resolves when every processor is at or past `position`; 503 after `timeoutMs`. */
  waitFor(processors: readonly string[], position: Position, timeoutMs: number): Promise<void>;
  /**
   * Names the live targets of the watched collections, as of the checkpoints `current` gives:
   * it changes with a rebuild's swap, a rollback or a reset, after which a position can be
   * reached again by a different target (so cached answers are keyed with it too).
   */
  generation(): string;
  /** Reads the checkpoints now. */
  refresh(): Promise<void>;
  stop(): void;
}

export interface WatcherOptions {
  store: DocumentStore;
  logger: Logger;
  /** Poll interval while someone waits. */
  activeMs?: number;
  /** Poll interval otherwise: how stale a query without a minimum position may be. */
  idleMs?: number;
  /** The collections whose live targets make up `generation()` (none: it stays ''). */
  collections?: readonly string[];
}

interface Waiter {
  processors: readonly string[];
  position: Position;
  resolve(): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/** Positions are fixed-width hex per adapter; padding makes a shorter one compare as a number. */
export function positionReached(checkpoint: Position | null, target: Position): boolean {
  if (checkpoint === null) return false;
  const width = Math.max(checkpoint.length, target.length);
  return checkpoint.padStart(width, '0') >= target.padStart(width, '0');
}

export async function startCheckpointWatcher(options: WatcherOptions): Promise<CheckpointWatcher> {
  const { store, logger } = options;
  const activeMs = options.activeMs ?? 5;
  const idleMs = options.idleMs ?? 100;
  const known = new Map<string, Position>();
  const waiters = new Set<Waiter>();
  let timer: NodeJS.Timeout | null = null;
  let polling: Promise<void> | null = null;
  let generation = '';
  let failing = false;
  let stopped = false;

  const satisfied = (w: Pick<Waiter, 'processors' | 'position'>) =>
    w.processors.every((p) => positionReached(known.get(p) ?? null, w.position));

  const liveTargets = async (): Promise<string> => {
    const live = await Promise.all(
      (options.collections ?? []).map(async (c) => (await store.targets(c)).live),
    );
    return live.length === 0
      ? ''
      : createHash('sha256').update(live.join(',')).digest('hex').slice(0, 16);
  };

  async function poll(): Promise<void> {
    try {
      // Targets read on both sides of the checkpoints: a swap in between leaves both readings
      // as they were (the next poll takes them), so a label never pairs one target's position
      // with another's name.
      const before = await liveTargets();
      const checkpoints = await store.getCheckpoints();
      if ((await liveTargets()) === before) {
        generation = before;
        known.clear();
        for (const { processor, position } of checkpoints) known.set(processor, position);
      }
      if (failing) logger.info('checkpoints readable again');
      failing = false;
    } catch (error) {
      if (!failing) logger.warn('cannot read checkpoints', { error: String(error) });
      failing = true;
    }
    for (const waiter of waiters) {
      if (!satisfied(waiter)) continue;
      waiters.delete(waiter);
      clearTimeout(waiter.timer);
      waiter.resolve();
    }
  }

  function refresh(): Promise<void> {
    polling ??= poll().finally(() => {
      polling = null;
      schedule();
    });
    return polling;
  }

  function schedule(delay = waiters.size > 0 ? activeMs : idleMs): void {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void refresh(), delay);
    // The idle poll alone must not keep a process (or a test run) alive.
    if (waiters.size === 0) timer.unref();
  }

  await refresh();
  return {
    current: (processor) => known.get(processor) ?? null,
    generation: () => generation,
    refresh,
    waitFor(processors, position, timeoutMs) {
      if (satisfied({ processors, position })) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const waiter: Waiter = {
          processors,
          position,
          resolve,
          reject,
          timer: setTimeout(() => {
            waiters.delete(waiter);
            const behind = processors.filter(
              (p) => !positionReached(known.get(p) ?? null, position),
            );
            const at = behind.map((p) => `${p} at ${known.get(p) ?? 'nothing'}`).join(', ');
            reject(
              new UnavailableError(
                `read models have not reached position ${position} within ${timeoutMs} ms (${at}); retry later`,
                Math.max(1, Math.ceil(timeoutMs / 1000)),
              ),
            );
          }, timeoutMs),
        };
        waiters.add(waiter);
        if (!polling) schedule(0);
      });
    },
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      for (const waiter of waiters) {
        clearTimeout(waiter.timer);
        waiter.reject(new UnavailableError('the query API is shutting down'));
      }
      waiters.clear();
    },
  };
}
