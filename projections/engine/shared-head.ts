import { decorateEventStore } from '../../shared-kernel/event-store/decorate';
import type { EventStore } from '../../shared-kernel/event-store/port';
import type { Position } from '../../shared-kernel/events/envelope';

/**
 * Every processor of a worker measures its lag against the head of the log on each heartbeat.
 * One read serves them all: a read in flight is joined, and its answer is reused for `maxAgeMs`,
 * so a worker asks its event store for the head about once per interval, not once per processor.
 */
export function withSharedHead(eventStore: EventStore, maxAgeMs: number): EventStore {
  let inFlight: Promise<Position | null> | null = null;
  let last: { at: number; head: Position | null } | null = null;
  const headPosition = (): Promise<Position | null> => {
    if (last !== null && Date.now() - last.at < maxAgeMs) return Promise.resolve(last.head);
    inFlight ??= eventStore
      .headPosition()
      .then((head) => {
        last = { at: Date.now(), head };
        return head;
      })
      .finally(() => (inFlight = null));
    return inFlight;
  };
  return decorateEventStore(eventStore, { headPosition });
}
