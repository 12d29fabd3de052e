import type {
  CollectionDeclaration,
  Doc,
  DocumentWrite,
  JsonValue,
} from '../../shared-kernel/document-store/port';
import type { RecordedEvent } from '../../shared-kernel/events/envelope';
import { aggregateTypeOfStream, aggregates, type AggregateType } from '../../write-side/aggregates';
import { traceIdOf } from '../../shared-kernel/tracing/trace-context';
import { docKey, type DocumentProjection } from '../engine/projection';
import { aggregateEventTypes, initialStateOf, stateAfter, storedState } from './audit-state';
import { toJson } from './json-state';

export const AUDIT_COLLECTION = 'audit_entries';

/**
 * Every event of an aggregate is kept once. The aggregate's state is kept beside it only at a
 * checkpoint (every `AUDIT_STATE_EVERY`-th version, from 0) and on the stream's latest entry, so
 * the trail grows with the events, not with events x state; a state at any other version is
 * folded from the checkpoint at or before it (read-side/audit/). When the next event arrives,
 * the previous latest entry gives up its state unless it is a checkpoint.
 */
export const AUDIT_STATE_EVERY = 100;

export function isStateCheckpoint(version: number): boolean {
  return version % AUDIT_STATE_EVERY === 0;
}

/** One event of one aggregate, with the aggregate's state after it on checkpoints. */
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
  /** The trace the event was appended in, to go from a timeline to its trace; null without. */
  traceId: string | null;
  position: string;
  data: JsonValue;
  /**
   * The aggregate state after this event, as JSON, on checkpoints and the latest entry only
   * (absent elsewhere); null when the entry before it was missing (the trail was started after
   * the stream began), since a state folded from a gap would lie.
   */
  state?: JsonValue;
  /** The aggregate's `stateVersion` the state was stored in, beside it. */
  stateVersion?: number;
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
      // State as of a time: the latest event of one aggregate at or before it.
      {
        name: 'by_aggregate_time',
        fields: [field('aggregateType'), field('aggregateId'), newest, field('version', 'desc')],
      },
      { name: 'by_time', fields: [newest] },
      { name: 'by_actor', fields: [field('actor'), newest] },
      { name: 'by_event_type', fields: [field('eventType'), newest] },
      { name: 'by_aggregate_type', fields: [field('aggregateType'), newest] },
    ],
  };
}

/**
 * The audit trail: entry n of a stream is folded from the state on entry n - 1 (the stream's
 * latest), so the projection reads it, and entry n itself: an event whose entry exists already
 * (a replay) changes nothing. Entries are keyed by stream and revision. A state stored in another
 * `stateVersion` is not folded on: the states after it are unknown until a rebuild.
 */
export function auditProjection(): DocumentProjection {
  return {
    name: 'audit',
    collections: [auditCollection()],
    handles: new Set(aggregateEventTypes()),
    reads(event) {
      if (aggregateTypeOfStream(event.streamId) === null) return [];
      const own = {
        collection: AUDIT_COLLECTION,
        id: auditEntryId(event.streamId, event.revision),
      };
      if (event.revision === 0) return [own];
      return [
        { collection: AUDIT_COLLECTION, id: auditEntryId(event.streamId, event.revision - 1) },
        own,
      ];
    },
    apply(event, docs) {
      const type = aggregateTypeOfStream(event.streamId);
      if (type === null) return [];
      const id = auditEntryId(event.streamId, event.revision);
      if (docs.get(docKey(AUDIT_COLLECTION, id))) return [];
      const previousId = auditEntryId(event.streamId, event.revision - 1);
      const previous = (docs.get(docKey(AUDIT_COLLECTION, previousId)) ??
        null) as AuditEntry | null;
      const before =
        event.revision === 0 ? initialStateOf(type) : previous && storedState(type, previous);
      const doc = auditEntry(type, event, before);
      const writes: DocumentWrite[] = [{ collection: AUDIT_COLLECTION, id, doc }];
      if (previous && previous.state !== undefined && !isStateCheckpoint(previous.version)) {
        const { state: _given, stateVersion: _version, ...withoutState } = previous;
        writes.push({ collection: AUDIT_COLLECTION, id: previousId, doc: withoutState });
      }
      return writes;
    },
  };
}

function auditEntry(type: AggregateType, event: RecordedEvent, before: JsonValue): Doc {
  const { metadata } = event;
  const entry: AuditEntry = {
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
    traceId: traceIdOf(metadata),
    position: event.position,
    data: toJson(event.data),
    state: before === null ? null : stateAfter(type, before, event),
    stateVersion: aggregates[type].stateVersion,
  };
  return entry as Doc;
}
