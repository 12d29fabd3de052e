import type {
  CollectionDeclaration,
  Doc,
  JsonValue,
} from '../../shared-kernel/document-store/port';
import type { RecordedEvent } from '../../shared-kernel/events/envelope';
import { aggregateTypeOfStream, aggregates, type AggregateType } from '../../write-side/aggregates';
import { docKey, type DocumentProjection } from '../engine/projection';
import { aggregateEventTypes, initialStateOf, stateAfter } from './audit-state';
import { toJson } from './json-state';

export const AUDIT_COLLECTION = 'audit_entries';

/** One event of one aggregate, with the aggregate's state after it. */
export type AuditEntry = {
  aggregateType: AggregateType;
  aggregateId: string;
  streamId: string;
  /** The event's stream revision: the aggregate version it produced. */
  version: number;
  eventId: string;
  eventType: string;
  occurredAt: string;
  recordedAt: string;
  actor: string;
  correlationId: string;
  causationId: string | null;
  position: string;
  data: JsonValue;
  /**
   * The aggregate state after this event, as JSON; null when the entry before it is missing
   * (the trail was started after the stream began), since a state folded from a gap would lie.
   */
  state: JsonValue;
};

/** Ids sort like versions within a stream: `order-<id>@0000000007`. */
export function auditEntryId(streamId: string, revision: number): string {
  return `${streamId}@${String(revision).padStart(10, '0')}`;
}

const field = (name: string, direction: 'asc' | 'desc' = 'asc') => ({ field: name, direction });

/** An aggregate's history in order, and events across aggregates newest first, by filter. */
export function auditCollection(): CollectionDeclaration {
  const newest = field('occurredAt', 'desc');
  return {
    name: AUDIT_COLLECTION,
    indexes: [
      {
        name: 'by_aggregate',
        fields: [field('aggregateType'), field('aggregateId'), field('version')],
      },
      { name: 'by_time', fields: [newest] },
      { name: 'by_actor', fields: [field('actor'), newest] },
      { name: 'by_event_type', fields: [field('eventType'), newest] },
      { name: 'by_aggregate_type', fields: [field('aggregateType'), newest] },
    ],
  };
}

/**
 * The audit trail: entry n of a stream is folded from entry n - 1, so the projection reads it
 * (the engine loads it from earlier in the batch or from the store). Entries are keyed by stream
 * and revision, so applying an event again writes the same entry: replays are harmless.
 */
export function auditProjection(): DocumentProjection {
  return {
    name: 'audit',
    collections: [auditCollection()],
    handles: new Set(aggregateEventTypes()),
    reads(event) {
      if (aggregateTypeOfStream(event.streamId) === null || event.revision === 0) return [];
      return [
        { collection: AUDIT_COLLECTION, id: auditEntryId(event.streamId, event.revision - 1) },
      ];
    },
    apply(event, docs) {
      const type = aggregateTypeOfStream(event.streamId);
      if (type === null) return [];
      const doc = auditEntry(type, event, previousState(type, event, docs));
      return [
        { collection: AUDIT_COLLECTION, id: auditEntryId(event.streamId, event.revision), doc },
      ];
    },
  };
}

function previousState(
  type: AggregateType,
  event: RecordedEvent,
  docs: ReadonlyMap<string, Doc | null>,
): JsonValue {
  if (event.revision === 0) return initialStateOf(type);
  const previous = docs.get(
    docKey(AUDIT_COLLECTION, auditEntryId(event.streamId, event.revision - 1)),
  );
  return previous?.state ?? null;
}

function auditEntry(type: AggregateType, event: RecordedEvent, before: JsonValue): AuditEntry {
  const { metadata } = event;
  return {
    aggregateType: type,
    aggregateId: event.streamId.slice(aggregates[type].streamPrefix.length),
    streamId: event.streamId,
    version: event.revision,
    eventId: event.eventId,
    eventType: event.type,
    occurredAt: metadata.occurredAt,
    recordedAt: event.recordedAt,
    actor: metadata.actor,
    correlationId: metadata.correlationId,
    causationId: metadata.causationId,
    position: event.position,
    data: toJson(event.data),
    state: before === null ? null : stateAfter(type, before, event),
  };
}
