/**
 * Snapshot state bytes a stream may cost per event folded: a state whose JSON is bigger than
 * `every` x this is snapshotted only every (its length / this) events. Writing a snapshot costs
 * what its state holds (a hot SKU's open reservations grow with the order backlog), so a fixed
 * spacing made each event of a busy stock item cost more as its backlog grew; spaced by size, a
 * snapshot costs at most this many bytes per event, about what the event itself does. Loading
 * from one then folds at most (its length / this) events after it: bounded by the state's size,
 * which reading the snapshot costs anyway, not by the history.
 */
export const SNAPSHOT_BYTES_PER_EVENT = 256;

/**
 * The most events between two snapshots, whatever the state's size, so that a load after a
 * restart folds at most this many events after the snapshot.
 */
export const SNAPSHOT_MAX_SPACING = 1_000;

/** Past this many streams with a big state, the least recently snapshotted one is forgotten. */
const SPACINGS_KEPT = 10_000;

export interface SnapshotSpacing {
  /** Events to fold after a snapshot of `streamId` before the next one is due. */
  of(streamId: string): number;
  /** Records the length of the state's JSON in the snapshot just stored. */
  stored(streamId: string, length: number): void;
}

/** Spacings learned from each stream's last snapshot; `every` for a stream not (yet) known. */
export function snapshotSpacing(every: number): SnapshotSpacing {
  // Only streams spaced wider than `every` are kept: most states are small and cost nothing here.
  const wider = new Map<string, number>();
  return {
    of: (streamId) => wider.get(streamId) ?? every,
    stored(streamId, length) {
      const spacing = Math.min(SNAPSHOT_MAX_SPACING, Math.ceil(length / SNAPSHOT_BYTES_PER_EVENT));
      wider.delete(streamId);
      if (spacing <= every) return;
      wider.set(streamId, spacing);
      if (wider.size > SPACINGS_KEPT) wider.delete(wider.keys().next().value!);
    },
  };
}
