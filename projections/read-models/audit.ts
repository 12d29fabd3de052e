import type {
  CollectionDeclaration,
  Doc,
  JsonValue,
} from '../../shared-kernel/document-store/port';
import type { RecordedEvent } from '../../shared-kernel/events/envelope';
import { aggregateTypeOfStream, aggregates, type AggregateType } from '../../write-side/aggregates';
import { traceIdOf } from '../../shared-kernel/tracing/trace-context';
import { docKey, type DocumentProjection } from '../engine/projection';
import { aggregateEventTypes, initialStateOf, stateAfter, storedState } from './audit-state';
import { toJson } from './json-state';

export const AUDIT_COLLECTION = 'audit_entries';
export const AUDIT_HEADS_COLLECTION = 'audit_heads';

/**
 * Every event of an aggregate is kept once, and written once. The aggregate's state is kept
 * beside it only at a checkpoint (every `AUDIT_STATE_EVERY`-th version, from 0), so the trail
 * grows with the events, not with events x state; a state at any other version is folded from
 * the checkpoint at or before it (read-side/audit/). The state after a stream's latest event,
 * which the next event is folded from, lives in the stream's head (`AUDIT_HEADS_COLLECTION`):
 * a small unindexed document rewritten once per batch, where keeping it on the latest entry
 * meant writing every entry twice through six indexes (with, then without, the state).
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
   * The aggregate state after this event, as JSON, on checkpoints only (absent elsewhere); null
   * when the trail was started after the stream began, since a state folded from a gap would lie.
   */
  state?: JsonValue;
  /** The aggregate's `stateVersion` the state was stored in, beside it. */
  stateVersion?: number;
};

/** A stream's latest version in the trail and the state after it (null: unknown, as above). */
export interface AuditHead {
  version: number;
  state: JsonValue;
  stateVersion: number;
}

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
 * The audit trail: entry n of a stream is folded from the stream's head, the state after entry
 * n - 1, and moves the head on; an event at or below the head's version (a replay) changes
 * nothing. Entries are keyed by stream and revision, heads by stream.
 *
 * A stream without a head past revision 0 (a trail started late, or written before heads
 * existed) has unknown states from there on, until the projection is rebuilt.
 */
export function auditProjection(): DocumentProjection {
  return {
    name: 'audit',
    collections: [auditCollection(), { name: AUDIT_HEADS_COLLECTION, indexes: [] }],
    handles: new Set(aggregateEventTypes()),
    reads(event) {
      if (aggregateTypeOfStream(event.streamId) === null) return [];
      return [{ collection: AUDIT_HEADS_COLLECTION, id: event.streamId }];
    },
    apply(event, docs) {
      const type = aggregateTypeOfStream(event.streamId);
      if (type === null) return [];
      const head = (docs.get(docKey(AUDIT_HEADS_COLLECTION, event.streamId)) ??
        null) as AuditHead | null;
      if (head !== null && head.version >= event.revision) return [];
      const before =
        event.revision === 0
          ? initialStateOf(type)
          : head?.version === event.revision - 1
            ? storedState(type, head)
            : null;
      const after = before === null ? null : stateAfter(type, before, event);
      const next: AuditHead = {
        version: event.revision,
        state: after,
        stateVersion: aggregates[type].stateVersion,
      };
      const { version: _, ...stored } = next;
      return [
        {
          collection: AUDIT_COLLECTION,
          id: auditEntryId(event.streamId, event.revision),
          doc: auditEntry(type, event, isStateCheckpoint(event.revision) ? stored : {}),
        },
        { collection: AUDIT_HEADS_COLLECTION, id: event.streamId, doc: next as unknown as Doc },
      ];
    },
  };
}

function auditEntry(
  type: AggregateType,
  event: RecordedEvent,
  checkpoint: { state?: JsonValue; stateVersion?: number },
): Doc {
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
    ...checkpoint,
  };
  return entry as Doc;
}
