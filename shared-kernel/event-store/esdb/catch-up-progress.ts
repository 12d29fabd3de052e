import { hasReached } from '../../events/envelope';
import type { Position } from '../../events/envelope';

/**
 * Where a catch-up subscription stands, kept apart from the I/O so that the rules for "no gap,
 * no duplicate, caught-up exactly once" can be checked on their own. The subscription reads the
 * head of `$all` before it subscribes; everything up to that head is "stored when it got there",
 * so caught-up is reported right after the event at the head is delivered.
 */
export interface CatchUpProgress {
  /** Position of the last event delivered (or the start position): resubscribe from here. */
  readonly last: Position | null;
  /** Head of `$all` read before subscribing; undefined until read, null for an empty log. */
  readonly target: Position | null | undefined;
  readonly caughtUp: boolean;
}

export type CatchUpStep =
  | { deliver: false; progress: CatchUpProgress }
  | { deliver: true; caughtUpAfter: boolean; progress: CatchUpProgress };

export function startCatchUp(after: Position | null): CatchUpProgress {
  return { last: after, target: undefined, caughtUp: false };
}

/** Records the head; when nothing newer than the start exists, it is caught up at once. */
export function withTarget(
  progress: CatchUpProgress,
  head: Position | null,
): { progress: CatchUpProgress; caughtUpNow: boolean } {
  if (progress.target !== undefined) return { progress, caughtUpNow: false };
  const caughtUpNow = !progress.caughtUp && reachedHead(progress.last, head);
  return {
    progress: { ...progress, target: head, caughtUp: progress.caughtUp || caughtUpNow },
    caughtUpNow,
  };
}

/**
 * Decides about one event from the server. Anything at or before the last delivered position
 * is a replay (a resubscription, or a server that treats the start as inclusive): dropped.
 */
export function stepCatchUp(progress: CatchUpProgress, position: Position): CatchUpStep {
  if (progress.last !== null && position <= progress.last) return { deliver: false, progress };
  const caughtUpAfter =
    !progress.caughtUp && progress.target !== undefined && hasReached(position, progress.target);
  return {
    deliver: true,
    caughtUpAfter,
    progress: { ...progress, last: position, caughtUp: progress.caughtUp || caughtUpAfter },
  };
}

function reachedHead(last: Position | null, head: Position | null): boolean {
  return head === null || (last !== null && last >= head);
}

/** When a dropped subscription is tried again: shared-kernel/backoff.ts with these bounds. */
export interface ResubscribePolicy {
  initialDelayMs: number;
  maxDelayMs: number;
  /** Failures in a row (no confirmed subscription in between) before it gives up. */
  maxConsecutiveFailures: number;
}
