import type { EventData, RecordedEvent as EsdbRecordedEvent } from '@eventstore/db-client';
import { StoreError, ValidationError } from '../../errors';
import type { FieldError } from '../../errors';
import type { EventMetadata, NewEvent, RecordedEvent } from '../../events/envelope';
import { isUuid } from '../../ids';
import { SNAPSHOT_STREAM_PREFIX } from './esdb-snapshots';
import { encodeEsdbPosition, isLogPosition } from './position';

/**
 * `$`-prefixed event types and streams belong to the server (stream metadata, settings,
 * statistics, projections), and snapshot streams to the adapter; they are never domain events
 * and never reach a reader.
 */
export function isSystemEvent(event: { type: string; streamId: string }): boolean {
  return (
    event.type.startsWith('$') ||
    event.streamId.startsWith('$') ||
    event.streamId.startsWith(SNAPSHOT_STREAM_PREFIX)
  );
}

/**
 * Checks every event before anything is sent, so that a bad batch is refused whole with each
 * problem named, and maps it to a JSON event whose id is ours: the server then recognises a
 * retried append by its event ids and does not store it twice.
 */
export function toEventData(events: readonly NewEvent[]): EventData[] {
  const problems: FieldError[] = [];
  if (!Array.isArray(events) || events.length === 0) {
    problems.push({ field: 'events', message: 'at least one event is required' });
  }
  const seen = new Set<string>();
  (Array.isArray(events) ? events : []).forEach((event, i) => {
    const at = `events[${i}]`;
    if (!isUuid(event?.eventId)) {
      problems.push({ field: `${at}.eventId`, message: 'must be a UUID' });
    } else if (seen.has(event.eventId.toLowerCase())) {
      problems.push({ field: `${at}.eventId`, message: `repeats ${event.eventId} in this append` });
    } else {
      seen.add(event.eventId.toLowerCase());
    }
    if (typeof event?.type !== 'string' || event.type === '' || event.type.startsWith('$')) {
      problems.push({
        field: `${at}.type`,
        message: 'must be a non-empty string not starting with $',
      });
    }
    if (event?.data === undefined) problems.push({ field: `${at}.data`, message: 'is required' });
    if (typeof event?.metadata !== 'object' || event.metadata === null) {
      problems.push({ field: `${at}.metadata`, message: 'must be an object' });
    }
  });
  if (problems.length > 0) throw new ValidationError(problems);
  return events.map((event) => ({
    id: event.eventId,
    contentType: 'application/json',
    type: event.type,
    // The client JSON-encodes whatever it is given; its type only lists objects, arrays, strings.
    data: event.data as Record<string, unknown>,
    metadata: { ...event.metadata },
  }));
}

/** Maps a stored event back to the envelope; a foreign or damaged event is a `StoreError`. */
export function toRecordedEvent(event: EsdbRecordedEvent): RecordedEvent {
  const where = `event ${event.id} (${event.streamId}@${event.revision})`;
  if (event.position === undefined || !isLogPosition(event.position)) {
    throw new StoreError(`${where} has no $all position: EventStoreDB 22.6 or later is required`);
  }
  return {
    eventId: event.id,
    type: event.type,
    data: event.data,
    metadata: decodeMetadata(event.metadata, where),
    streamId: event.streamId,
    revision: Number(event.revision),
    position: encodeEsdbPosition(event.position),
    recordedAt: event.created.toISOString(),
  };
}

function decodeMetadata(raw: unknown, where: string): EventMetadata {
  const m = raw as Partial<Record<keyof EventMetadata, unknown>> | null | undefined;
  const valid =
    typeof m === 'object' &&
    m !== null &&
    !(m instanceof Uint8Array) &&
    typeof m.correlationId === 'string' &&
    (m.causationId === null || typeof m.causationId === 'string') &&
    typeof m.actor === 'string' &&
    typeof m.occurredAt === 'string' &&
    typeof m.schemaVersion === 'number';
  if (!valid) {
    throw new StoreError(`${where} has no Strata metadata (correlationId, actor, ...): not ours?`);
  }
  return m as unknown as EventMetadata;
}
