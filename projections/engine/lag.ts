import type { EventStore } from '../../shared-kernel/event-store/port';
import type { Position } from '../../shared-kernel/events/envelope';

export interface Lag {
  /** Events after the checkpoint up to the head, when the store can count them. */
  lagEvents: number | null;
  /** Age of the first event after the checkpoint (0 when there is none). */
  lagSeconds: number;
}

/**
 * How far a checkpoint is behind one head, read from the log itself: the same figures for the
 * worker's timer, its `/status` and the CLI, so a report never pairs one head with a lag
 * measured against another. The age is the first pending event's, so a processor stuck in a
 * batch shows its lag growing instead of the age of its last commit.
 */
export async function lagBehind(
  eventStore: EventStore,
  checkpoint: Position | null,
  head: Position | null,
  now: Date,
): Promise<Lag> {
  if (head === null || (checkpoint !== null && checkpoint >= head)) {
    return { lagEvents: head === null ? null : 0, lagSeconds: 0 };
  }
  const lagEvents = eventStore.eventsBetween ? eventStore.eventsBetween(checkpoint, head) : null;
  for await (const next of eventStore.readAll({ after: checkpoint, maxCount: 1 })) {
    return {
      lagEvents,
      lagSeconds: Math.max(0, (now.getTime() - Date.parse(next.recordedAt)) / 1000),
    };
  }
  return { lagEvents, lagSeconds: 0 };
}
