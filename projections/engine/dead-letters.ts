import type { CollectionDeclaration, DocumentWrite } from '../../shared-kernel/document-store/port';
import type { RecordedEvent } from '../../shared-kernel/events/envelope';

/**
 * A parked stream: the event a processor failed on, with the error. Later events of the same
 * stream are not stored here: they are held simply by being skipped, and re-read from the event
 * store (from `revision` on) when the stream is retried, so order is kept and nothing is copied.
 */
export interface DeadLetter {
  [key: string]: string | number | null;
  processor: string;
  streamId: string;
  /** Revision of the failing event: the first one held. */
  revision: number;
  position: string;
  eventId: string;
  eventType: string;
  error: string;
  attempts: number;
  parkedAt: string;
  /** Set by `strata dead-letters retry|skip`; the worker acts on it and clears the letter. */
  request: 'retry' | 'skip' | null;
  requestedAt: string | null;
}

export const DEAD_LETTERS: CollectionDeclaration = {
  name: 'dead_letters',
  indexes: [
    { name: 'by_processor', fields: [{ field: 'processor', direction: 'asc' }] },
    { name: 'by_request', fields: [{ field: 'request', direction: 'asc' }] },
  ],
};

export function deadLetterId(processor: string, streamId: string): string {
  return `${processor}|${streamId}`;
}

export function parkWrite(
  processor: string,
  event: RecordedEvent,
  error: unknown,
  attempts: number,
  now: Date,
): DocumentWrite {
  const letter: DeadLetter = {
    processor,
    streamId: event.streamId,
    revision: event.revision,
    position: event.position,
    eventId: event.eventId,
    eventType: event.type,
    error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    attempts,
    parkedAt: now.toISOString(),
    request: null,
    requestedAt: null,
  };
  return {
    collection: DEAD_LETTERS.name,
    id: deadLetterId(processor, event.streamId),
    doc: letter,
  };
}

export function clearWrite(letter: DeadLetter): DocumentWrite {
  return {
    collection: DEAD_LETTERS.name,
    id: deadLetterId(letter.processor, letter.streamId),
    doc: null,
  };
}
