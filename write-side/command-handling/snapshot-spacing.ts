import { spacingForState } from '../../shared-kernel/state-spacing';

/** Past this many streams with a big state, the least recently snapshotted one is forgotten. */
const SPACINGS_KEPT = 10_000;

export interface SnapshotSpacing {
  /** Events to fold after a snapshot of `streamId` before the next one is due. */
  of(streamId: string): number;
  /** Records the length of the state's JSON in the snapshot just stored. */
  stored(streamId: string, length: number): void;
}

/**
 * Spacings learned from each stream's last snapshot (`spacingForState`); `every` for a stream
 * not (yet) known.
 */
export function snapshotSpacing(every: number): SnapshotSpacing {
  // Only streams spaced wider than `every` are kept: most states are small and cost nothing here.
  const wider = new Map<string, number>();
  return {
    of: (streamId) => wider.get(streamId) ?? every,
    stored(streamId, length) {
      const spacing = spacingForState(length, every);
      wider.delete(streamId);
      if (spacing <= every) return;
      wider.set(streamId, spacing);
      if (wider.size > SPACINGS_KEPT) wider.delete(wider.keys().next().value!);
    },
  };
}
