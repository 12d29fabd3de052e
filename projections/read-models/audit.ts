import type { Doc, DocumentWrite, JsonValue } from '../../shared-kernel/document-store/port';
import type { RecordedEvent } from '../../shared-kernel/events/envelope';
import { aggregateTypeOfStream, aggregates, type AggregateType } from '../../write-side/aggregates';
import { traceIdOf } from '../../shared-kernel/tracing/trace-context';
import { docKey, type DocumentProjection } from '../engine/projection';
import {
  aggregateEventTypes,
  foldTrail,
  initialStateOf,
  rememberStateAfter,
  stateAfter,
  stateAtHand,
} from './audit-state';
import { toJson } from './json-state';
import { AUDIT_COLLECTION, auditCollection } from './audit-collection';
import { AUDIT_STATE_EVERY, checkpointingAt, checkpointingOf } from './audit-checkpoints';

export { AUDIT_COLLECTION, auditCollection } from './audit-collection';
export { AUDIT_STATE_EVERY, checkpointingOf } from './audit-checkpoints';

/*
 * Every event of an aggregate is kept once. The aggregate's state is kept beside it only at a
 * checkpoint (audit-checkpoints.ts: at least every `AUDIT_STATE_EVERY` versions, further apart
 * for a big state), so the trail grows with the events, not with events x state; a state at any
 * other version is folded from the checkpoint at or before it (read-side/audit/, and the
 * projection itself after a restart). A busy stock item's state holds its open orders: storing
 * it on each stream's latest entry, rewritten every batch, made the worker's cost grow with them.
 */

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
   * The aggregate state after this event, as JSON, on checkpoints only (absent elsewhere); null,
   * on any entry, when it is unknown: the entry before it was missing (the trail was started
   * after the stream began), since a state folded from a gap would lie.
   */
  state?: JsonValue;
  /** The aggregate's `stateVersion` the state was stored in, beside it. */
  stateVersion?: number;
  /** See `Checkpointing`; absent on entries written before checkpoints were spaced by size. */
  checkpoint?: number;
  nextCheckpoint?: number;
};

/** Ids sort like versions within a stream: `order-<id>@0000000007`. */
export function auditEntryId(streamId: string, revision: number): string {
  return `${streamId}@${String(revision).padStart(10, '0')}`;
}

/**
 * The audit trail: entry n of a stream is folded from the state after entry n - 1, so the
 * projection reads that entry, and entry n itself: an event whose entry exists already (a
 * replay) changes nothing. The state after n - 1 is usually remembered from the batch that
 * wrote it; when not, the entries back to its checkpoint are read (`readsAfter`) and folded.
 * Entries are keyed by stream and revision. A state stored in another `stateVersion` is not
 * folded on: the states after it are unknown until a rebuild.
 */
export function auditProjection(): DocumentProjection {
  return {
    name: 'audit',
    collections: [auditCollection()],
    handles: new Set(aggregateEventTypes()),
    reads(event) {
      if (aggregateTypeOfStream(event.streamId) === null) return [];
      const own = entryKey(event.streamId, event.revision);
      return event.revision === 0 ? [own] : [entryKey(event.streamId, event.revision - 1), own];
    },
    readsAfter(event, docs) {
      const type = aggregateTypeOfStream(event.streamId);
      const previous = previousEntry(event, docs);
      if (type === null || previous === null || stateAtHand(type, previous) !== undefined)
        return [];
      return keysBefore(previous);
    },
    apply(event, docs) {
      const type = aggregateTypeOfStream(event.streamId);
      if (type === null) return [];
      const id = auditEntryId(event.streamId, event.revision);
      if (docs.get(docKey(AUDIT_COLLECTION, id))) return [];
      const previous = previousEntry(event, docs);
      const before =
        event.revision === 0
          ? initialStateOf(type)
          : previous && foldedStateAfter(type, previous, docs);
      const after = before === null ? null : stateAfter(type, before, event);
      const doc = auditEntry(type, event, after, previous);
      rememberStateAfter(doc, after);
      const writes: DocumentWrite[] = [{ collection: AUDIT_COLLECTION, id, doc }];
      // A trail written before states were kept on checkpoints only had one on its latest entry.
      if (previous && previous.state != null && isLegacyLatest(previous)) {
        const { state: _given, stateVersion: _version, ...withoutState } = previous;
        rememberStateAfter(withoutState, before);
        const previousId = auditEntryId(event.streamId, previous.version);
        writes.push({ collection: AUDIT_COLLECTION, id: previousId, doc: withoutState });
      }
      return writes;
    },
  };
}

const entryKey = (streamId: string, revision: number) => ({
  collection: AUDIT_COLLECTION,
  id: auditEntryId(streamId, revision),
});

/** An entry whose state was stored before checkpoints were spaced, off their old grid. */
function isLegacyLatest(entry: AuditEntry): boolean {
  return entry.checkpoint === undefined && entry.version % AUDIT_STATE_EVERY !== 0;
}

function previousEntry(event: RecordedEvent, docs: ReadonlyMap<string, Doc | null>) {
  if (event.revision === 0) return null;
  const id = auditEntryId(event.streamId, event.revision - 1);
  return (docs.get(docKey(AUDIT_COLLECTION, id)) ?? null) as AuditEntry | null;
}

/** The entries of a stream from the checkpoint at or before `entry` up to the one before it. */
function keysBefore(entry: AuditEntry) {
  const keys = [];
  const { checkpoint } = checkpointingOf(entry);
  for (let v = checkpoint; v < entry.version; v++) keys.push(entryKey(entry.streamId, v));
  return keys;
}

/**
 * The state after `entry`: at hand, or else folded from the entries back to its checkpoint that
 * `readsAfter` asked for, as far back as `docs` holds them without a gap.
 */
function foldedStateAfter(
  type: AggregateType,
  entry: AuditEntry,
  docs: ReadonlyMap<string, Doc | null>,
): JsonValue {
  const atHand = stateAtHand(type, entry);
  if (atHand !== undefined) return atHand;
  const trail = [entry];
  for (const { collection, id } of keysBefore(entry).reverse()) {
    const earlier = docs.get(docKey(collection, id));
    if (!earlier) break;
    trail.push(earlier as AuditEntry);
  }
  return foldTrail(type, trail.reverse());
}

function auditEntry(
  type: AggregateType,
  event: RecordedEvent,
  after: JsonValue,
  previous: AuditEntry | null,
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
  };
  const { stored, ...checkpointing } = checkpointingAt(previous, event.revision, after);
  if (stored) {
    entry.state = after;
    entry.stateVersion = aggregates[type].stateVersion;
  }
  return { ...entry, ...checkpointing } as Doc;
}
