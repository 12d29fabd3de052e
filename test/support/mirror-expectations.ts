import type { Position, RecordedEvent } from '../../shared-kernel/events/envelope';
import type { EventStore } from '../../shared-kernel/event-store/port';
import type { DeliveredMessage } from '../../shared-kernel/integration/contract/delivery-check';
import {
  tailOutbox,
  type OutboxRecord,
} from '../../shared-kernel/integration/outbox/outbox-reader';
import type { IntegrationMessage } from '../../shared-kernel/integration/port';
import { integrationMessageFor } from '../../projections/kafka-mirror/mapping';
import { aggregates, aggregateTypeOfStream } from '../../write-side/aggregates';

/** A public message the mirror owes, with the `$all` position of its source event. */
export interface OwedMessage {
  message: IntegrationMessage;
  position: Position;
}

/**
 * What the Kafka mirror owes for the log, worked out apart from the engine: the whole log read
 * in `$all` order, each stream folded with its aggregate's own decider, the mapping applied to
 * every event. The mirror's batches, stored state and restarts must add up to exactly this.
 */
export async function owedIntegrationMessages(
  store: EventStore,
  upcast: (event: RecordedEvent) => RecordedEvent,
): Promise<OwedMessage[]> {
  const states = new Map<string, unknown>();
  const owed: OwedMessage[] = [];
  for await (const stored of store.readAll()) {
    const type = aggregateTypeOfStream(stored.streamId);
    if (type === null) continue;
    const event = upcast(stored);
    const decider = aggregates[type].decider as {
      initialState: unknown;
      evolve(state: unknown, event: unknown): unknown;
    };
    const state = decider.evolve(states.get(event.streamId) ?? decider.initialState, event);
    states.set(event.streamId, state);
    const message = integrationMessageFor(type, event, state);
    if (message) owed.push({ message, position: event.position });
  }
  return owed;
}

/** The owed messages whose source event lies after `after` and at or before `upTo`. */
export function owedBetween(
  owed: readonly OwedMessage[],
  after: Position | null,
  upTo: Position | null,
): OwedMessage[] {
  return owed.filter(
    (o) => (after === null || o.position > after) && (upTo === null ? false : o.position <= upTo),
  );
}

/** An outbox row as a consumer of the topic would see it. */
export function outboxDelivery(record: OutboxRecord): DeliveredMessage {
  return {
    topic: record.topic,
    key: record.key,
    headers: { ...record.headers },
    value: record.value,
  };
}

/** Everything in the embedded outbox under `dataDir`, in seq order, as consumers would see it. */
export async function readOutboxDeliveries(dataDir: string): Promise<DeliveredMessage[]> {
  const delivered: DeliveredMessage[] = [];
  for await (const record of tailOutbox({ dataDir })) delivered.push(outboxDelivery(record));
  return delivered;
}
