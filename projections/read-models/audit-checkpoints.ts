import type { JsonValue } from '../../shared-kernel/document-store/port';
import { spacingForState } from '../../shared-kernel/state-spacing';
import type { AuditEntry } from './audit';

/**
 * The fewest entries between two state checkpoints of a trail: a state at any version is folded
 * from the checkpoint at or before it, so a query reads at most the entries between two. A big
 * state's checkpoints are further apart (`spacingForState`), at most STATE_MAX_SPACING.
 */
export const AUDIT_STATE_EVERY = 100;

/** Where an entry stands between checkpoints: stored on each entry the trail writes. */
export interface Checkpointing {
  /** The version of the checkpoint at or before the entry, where a fold to it starts. */
  checkpoint: number;
  /** The version of the next checkpoint after that one. */
  nextCheckpoint: number;
}

/** Entries written before checkpoints were spaced by size lie on a grid of every 100th version. */
export function checkpointingOf(entry: AuditEntry): Checkpointing {
  if (entry.checkpoint !== undefined && entry.nextCheckpoint !== undefined) {
    return { checkpoint: entry.checkpoint, nextCheckpoint: entry.nextCheckpoint };
  }
  const checkpoint = entry.version - (entry.version % AUDIT_STATE_EVERY);
  return { checkpoint, nextCheckpoint: checkpoint + AUDIT_STATE_EVERY };
}

/**
 * The checkpointing of the entry at `version`, whose state is `after`, given the entry before it
 * (null for the stream's first). `stored`: whether the entry keeps the state, at a checkpoint,
 * or whenever it is unknown (null), so that nothing folds past an unknown state.
 */
export function checkpointingAt(
  previous: AuditEntry | null,
  version: number,
  after: JsonValue,
): Checkpointing & { stored: boolean } {
  if (after === null) return { checkpoint: version, nextCheckpoint: version + 1, stored: true };
  // A stream's first state is as small as one event: measuring it would only cost the many
  // short streams (orders) a second serialization.
  if (previous === null) {
    return { checkpoint: version, nextCheckpoint: version + AUDIT_STATE_EVERY, stored: true };
  }
  const last = checkpointingOf(previous);
  if (version < last.nextCheckpoint) return { ...last, stored: false };
  const spacing = spacingForState(JSON.stringify(after).length, AUDIT_STATE_EVERY);
  return { checkpoint: version, nextCheckpoint: version + spacing, stored: true };
}
