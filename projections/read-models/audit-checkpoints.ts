import type { JsonValue } from '../../shared-kernel/document-store/port';
import type { AuditEntry } from './audit';

/**
 * The fewest entries between two state checkpoints of a trail: a state at any version is folded
 * from the checkpoint at or before it, so a query reads at most the entries between two.
 */
export const AUDIT_STATE_EVERY = 100;

/**
 * Checkpoint bytes a trail may cost per entry: a state whose JSON is longer than
 * `AUDIT_STATE_EVERY` x this waits (its length / this) entries for the next checkpoint. A busy
 * stock item's state holds its open orders; checkpointed every 100 entries whatever its size,
 * each event cost the worker more as the backlog grew (serializing and storing it). Spaced by
 * size, checkpoints cost at most this per entry, and a fold from one reads at most (its length
 * / this) entries: bounded by what parsing the checkpoint costs anyway.
 */
export const AUDIT_STATE_BYTES_PER_EVENT = 256;

/**
 * The most entries between two checkpoints, whatever the state's size: what one state query
 * reads at most (a page of the document store). Past it, a checkpoint costs (its length / this)
 * per entry.
 */
export const AUDIT_STATE_MAX_EVERY = 1_000;

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
  const last = previous === null ? null : checkpointingOf(previous);
  if (after === null) return { checkpoint: version, nextCheckpoint: version + 1, stored: true };
  if (last !== null && version < last.nextCheckpoint) return { ...last, stored: false };
  // A stream's first state is as small as one event: measuring it would only cost the many
  // short streams (orders) a second serialization.
  if (last === null)
    return { checkpoint: version, nextCheckpoint: version + AUDIT_STATE_EVERY, stored: true };
  const spacing = Math.ceil(JSON.stringify(after).length / AUDIT_STATE_BYTES_PER_EVENT);
  const nextCheckpoint =
    version + Math.min(AUDIT_STATE_MAX_EVERY, Math.max(AUDIT_STATE_EVERY, spacing));
  return { checkpoint: version, nextCheckpoint, stored: true };
}
