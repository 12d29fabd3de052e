import type { RecordedEvent } from '../../shared-kernel/events/envelope';

/**
 * Another application, or a server-side projection, may write into the same log. EventStoreDB
 * filters those streams out on the server; whatever still arrives from a stream that is not one
 * of Strata's aggregates (the embedded store does not filter) is skipped and counted, never
 * handed to a projection, so it can neither fail a batch nor reach the saga or Kafka. The
 * checkpoint still moves past it with the rest of its batch.
 */
export type ForeignEventFilter = (events: readonly RecordedEvent[]) => readonly RecordedEvent[];

export function skipForeignEvents(
  streamPrefixes: readonly string[] | undefined,
  onSkipped: (count: number) => void = () => undefined,
): ForeignEventFilter {
  if (streamPrefixes === undefined || streamPrefixes.length === 0) return (events) => events;
  const ours = (event: RecordedEvent) => streamPrefixes.some((p) => event.streamId.startsWith(p));
  return (events) => {
    if (events.every(ours)) return events;
    const own = events.filter(ours);
    onSkipped(events.length - own.length);
    return own;
  };
}
