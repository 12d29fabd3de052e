import type { Position } from '../../shared-kernel/events/envelope';
import type { SearchIndex } from '../../shared-kernel/search-index/port';
import { positionReached } from './checkpoint-watcher';

/**
 * Search writes are not refreshed as they are indexed (see the SearchIndex port), so a search
 * answer labelled with the search processor's checkpoint must first make that checkpoint
 * visible. Every write up to a checkpoint was acknowledged before the checkpoint committed, so
 * a refresh started after the checkpoint was read covers it. Refreshes are coalesced: at most
 * one runs at a time, and every reader waiting meanwhile shares the next one.
 */
export interface SearchVisibility {
  /** Resolves once every write up to `position` is visible to searches of the index. */
  through(position: Position | null): Promise<void>;
}

export function searchVisibility(index: SearchIndex, indexName: string): SearchVisibility {
  let visible: Position | null = null;
  let running: Promise<void> | null = null;
  let pending: { wanted: Position; done: Promise<void> } | null = null;

  const start = (wanted: Position): Promise<void> =>
    (running = index
      .refresh(indexName)
      .then(() => {
        if (visible === null || positionReached(wanted, visible)) visible = wanted;
      })
      .finally(() => (running = null)));

  return {
    async through(position) {
      if (position === null || (visible !== null && positionReached(visible, position))) return;
      if (running === null) return start(position);
      // The running refresh may have started before `position` was read: share the next one.
      if (pending === null) {
        const queued: { wanted: Position; done: Promise<void> } = {
          wanted: position,
          done: running
            .catch(() => undefined)
            .then(() => {
              pending = null;
              return start(queued.wanted);
            }),
        };
        pending = queued;
      } else if (positionReached(position, pending.wanted)) {
        pending.wanted = position;
      }
      return pending.done;
    },
  };
}
