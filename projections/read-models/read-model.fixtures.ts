/** Shared by the read-model specs: events as the store records them, and the engine's fold. */
import { expect } from 'chai';
import type { Doc, DocumentWrite } from '../../shared-kernel/document-store/port';
import type { EventMetadata, RecordedEvent } from '../../shared-kernel/events/envelope';
import type { TraceContextFields } from '../../shared-kernel/tracing/trace-context';
import { docKey, type DocKey, type DocumentProjection } from '../engine/projection';

export const eur = (amount: number) => ({ amount, currency: 'EUR' });
const START = Date.parse('2024-03-01T10:00:00.000Z');

/**
 * Records events the way a store would: one global position sequence (16-digit hex, like the
 * SQLite store), revisions per stream, and a clock one minute apart per event.
 */
export function eventLog() {
  let sequence = 0;
  const revisions = new Map<string, number>();
  return function record(
    streamId: string,
    type: string,
    data: unknown,
    metadata: Partial<Pick<EventMetadata, 'actor' | 'correlationId' | 'causationId'>> &
      TraceContextFields = {},
  ): RecordedEvent {
    sequence += 1;
    const revision = revisions.get(streamId) ?? 0;
    revisions.set(streamId, revision + 1);
    const at = new Date(START + sequence * 60_000).toISOString();
    return deepFreeze({
      eventId: `00000000-0000-7000-8000-${String(sequence).padStart(12, '0')}`,
      type,
      data: structuredClone(data),
      metadata: {
        correlationId: metadata.correlationId ?? 'corr-1',
        causationId: metadata.causationId ?? null,
        actor: metadata.actor ?? 'alice',
        occurredAt: at,
        schemaVersion: 1,
        ...(metadata.traceparent ? { traceparent: metadata.traceparent } : {}),
        ...(metadata.tracestate ? { tracestate: metadata.tracestate } : {}),
      },
      streamId,
      revision,
      position: sequence.toString(16).padStart(16, '0'),
      recordedAt: new Date(START + sequence * 60_000 + 5).toISOString(),
    });
  };
}

export type Documents = Map<string, Doc | null>;

/**
 * Folds events through a projection as the engine does (reads, then apply against the working
 * set), checking on the way what the engine relies on: every document is plain JSON, apply does
 * not mutate what it is given (inputs are frozen) and answers the same for the same input.
 */
export function project(
  projection: DocumentProjection,
  events: readonly RecordedEvent[],
  from: Documents = new Map(),
): Documents {
  const documents: Documents = new Map(from);
  for (const event of events) {
    const docs = new Map<string, Doc | null>();
    const see = (keys: readonly DocKey[]) => {
      for (const { collection, id } of keys) {
        const key = docKey(collection, id);
        docs.set(key, deepFreeze(documents.get(key) ?? null));
      }
    };
    see(projection.reads(event));
    see(projection.readsAfter?.(event, docs) ?? []);
    const writes = projection.apply(event, docs);
    expect(projection.apply(event, docs), `${event.type} applied twice`).to.deep.equal(writes);
    for (const write of writes) checkWrite(projection, write, documents);
  }
  return documents;
}

function checkWrite(projection: DocumentProjection, write: DocumentWrite, documents: Documents) {
  const owned = projection.collections.map((c) => c.name);
  expect(owned, 'writes only to its own collections').to.include(write.collection);
  expect(JSON.parse(JSON.stringify(write.doc)), 'documents are plain JSON').to.deep.equal(
    write.doc,
  );
  documents.set(docKey(write.collection, write.id), write.doc);
}

/** The document of `collection` under `id`, or null. */
export function docIn(documents: Documents, collection: string, id: string): Doc | null {
  return documents.get(docKey(collection, id)) ?? null;
}

export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
