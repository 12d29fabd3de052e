import type { LoadedAggregate } from './load-aggregate';

/**
 * The last state this process folded for each recently used stream, as of its revision. A
 * command on such a stream reads only the events after that revision (none, when this process
 * wrote last) instead of a snapshot and its tail: reading and parsing a snapshot costs what its
 * state holds (a hot SKU's open reservations grow with the order backlog), this costs nothing.
 * A stored event never changes, so a state as of revision r stays true forever; writers in
 * other processes only add events after it, which the next load folds, and optimistic
 * concurrency still guards every append. States are immutable (deciders never change their
 * inputs), so sharing one between commands is safe. Least recently used streams are dropped
 * past `capacity`, which bounds memory whatever the number of streams.
 */
export interface FoldedStates {
  get(streamId: string): LoadedAggregate<unknown> | undefined;
  /** Keeps `loaded` unless a newer revision of the stream is already kept. */
  keep(streamId: string, loaded: LoadedAggregate<unknown>): void;
}

export const DEFAULT_FOLDED_STATES_KEPT = 10_000;

export function foldedStates(capacity: number = DEFAULT_FOLDED_STATES_KEPT): FoldedStates {
  // A Map iterates in insertion order: re-inserting on use makes its first key the least recent.
  const states = new Map<string, LoadedAggregate<unknown>>();
  return {
    get(streamId) {
      const loaded = states.get(streamId);
      if (loaded === undefined) return undefined;
      states.delete(streamId);
      states.set(streamId, loaded);
      return loaded;
    },
    keep(streamId, loaded) {
      if (capacity <= 0) return;
      const kept = states.get(streamId);
      if (kept !== undefined && kept.revision > loaded.revision) return;
      states.delete(streamId);
      states.set(streamId, loaded);
      if (states.size > capacity) states.delete(states.keys().next().value!);
    },
  };
}
