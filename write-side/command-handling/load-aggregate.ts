import type { Decider } from '../../shared-kernel/decider';
import type { DomainEvent, Position } from '../../shared-kernel/events/envelope';
import type { EventUpcasting } from '../../shared-kernel/events/upcasting';
import type { EventStore } from '../../shared-kernel/event-store/port';
import type { Logger } from '../../shared-kernel/logging/logger';
import type { SnapshotSpacing } from './snapshot-spacing';

export interface LoadedAggregate<S> {
  state: S;
  /** Revision of the last event folded; -1 for a stream with no events. */
  revision: number;
  position: Position | null;
  /** Revision of the snapshot the fold started from; -1 when it started from the first event. */
  snapshotRevision: number;
}

/** Snapshots of one aggregate type: stored every `every` events (0: never), under `version`. */
export interface SnapshotRule {
  every: number;
  version: string;
}

/**
 * Loads an aggregate: its latest snapshot of the current version (if any), then the events
 * after it, streamed (never a whole array) and brought up to date by the upcasters first, so
 * deciders only know today's shapes. Without a usable snapshot it folds from the first event.
 * A failing snapshot read is logged and the fold starts from the beginning instead. Given
 * `from`, a state this process folded before (see `FoldedStates`), it folds only what followed.
 */
export async function loadAggregate<C, S, E extends DomainEvent>(
  store: EventStore,
  upcasting: EventUpcasting,
  decider: Decider<C, S, E>,
  streamId: string,
  snapshots: { rule: SnapshotRule; logger: Logger },
  from?: LoadedAggregate<S>,
): Promise<LoadedAggregate<S>> {
  if (from !== undefined) return foldAfter(store, upcasting, decider, streamId, from);
  const { rule, logger } = snapshots;
  let state = decider.initialState;
  let revision = -1;
  let position: Position | null = null;
  if (rule.every > 0) {
    try {
      const snapshot = await store.readSnapshot(streamId, rule.version);
      if (snapshot !== null) {
        ({ revision, position } = snapshot);
        state = snapshot.state as S;
      }
    } catch (error) {
      logger.warn('snapshot unreadable, folding the whole stream', {
        streamId,
        error: String(error),
      });
    }
  }
  const start = { state, revision, position, snapshotRevision: revision };
  return foldAfter(store, upcasting, decider, streamId, start);
}

/** `loaded` brought up to date with the stream's events after its revision. */
async function foldAfter<C, S, E extends DomainEvent>(
  store: EventStore,
  upcasting: EventUpcasting,
  decider: Decider<C, S, E>,
  streamId: string,
  loaded: LoadedAggregate<S>,
): Promise<LoadedAggregate<S>> {
  let { state, revision, position } = loaded;
  for await (const recorded of store.readStream(streamId, { fromRevision: revision + 1 })) {
    const event = upcasting.upcast(recorded);
    state = decider.evolve(state, { type: event.type, data: event.data } as E);
    revision = recorded.revision;
    position = recorded.position;
  }
  if (revision === loaded.revision) return loaded;
  return { state, revision, position, snapshotRevision: loaded.snapshotRevision };
}

/**
 * Stores the state as the stream's snapshot once `spacing` says enough events have been folded
 * since the last one (`every`, or more for a big state). Off the command's path: written after
 * the current turn of the event loop and never awaited, and a failure is logged, so a snapshot
 * can slow or fail no command. Returns `loaded` as it stands afterwards (its `snapshotRevision`
 * moved when one is written).
 */
export function keepSnapshotIfDue<S>(
  store: EventStore,
  streamId: string,
  loaded: LoadedAggregate<S>,
  { rule, logger, spacing }: { rule: SnapshotRule; logger: Logger; spacing: SnapshotSpacing },
): LoadedAggregate<S> {
  const { state, revision, position, snapshotRevision } = loaded;
  if (rule.every === 0 || position === null) return loaded;
  if (revision - snapshotRevision < spacing.of(streamId)) return loaded;
  const snapshot = { revision, position, version: rule.version, state };
  setImmediate(() => {
    store.writeSnapshot(streamId, snapshot).then(
      (length) => spacing.stored(streamId, length),
      (error: unknown) => {
        logger.warn('snapshot not stored', { streamId, revision, error: String(error) });
      },
    );
  });
  return { ...loaded, snapshotRevision: revision };
}
