import { ConcurrencyError, ConflictError } from '../../errors';
import type { AppendResult, ExpectedRevision } from '../port';
import type { AppendRequest } from './append-request';
import { encodePosition } from './positions';
import type { Statements } from './statements';

/** No stream yet: its "revision" for expected-revision checks. */
const NO_STREAM = -1;

/**
 * Writes one append inside the caller's open transaction, or throws leaving nothing of it
 * behind (a savepoint when it has several rows; a single INSERT is atomic on its own).
 */
export function writeAppend(
  statements: Statements,
  request: AppendRequest,
  recordedAt: string,
): AppendResult {
  const { streamId, expected, events } = request;
  const current = statements.streamRevision.get(streamId) ?? NO_STREAM;
  if (!satisfies(expected, current)) {
    const retried = findRetriedAppend(statements, request);
    if (retried) return retried;
    throw new ConcurrencyError(streamId, String(expected), describe(current));
  }
  const several = events.length > 1;
  if (several) statements.savepoint.run();
  try {
    let revision = current;
    let position = 0;
    for (const event of events) {
      revision += 1;
      const result = statements.insert.run(
        streamId,
        revision,
        event.eventId,
        event.type,
        event.data,
        event.metadata,
        recordedAt,
      );
      position = Number(result.lastInsertRowid);
    }
    if (several) statements.releaseSavepoint.run();
    return { streamId, streamRevision: revision, position: encodePosition(position) };
  } catch (error) {
    if (several) {
      statements.rollbackToSavepoint.run();
      statements.releaseSavepoint.run();
    }
    if (!isDuplicateEventId(error)) throw error;
    const retried = findRetriedAppend(statements, request);
    if (retried) return retried;
    throw error;
  }
}

function satisfies(expected: ExpectedRevision, current: number): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return current === NO_STREAM;
    case 'stream_exists':
      return current !== NO_STREAM;
    default:
      return current === expected;
  }
}

function describe(revision: number): string {
  return revision === NO_STREAM ? 'no_stream' : String(revision);
}

/**
 * A retry of an append that already succeeded: every event id is stored, in this stream, in
 * this order, at consecutive revisions where `expected` put them. Returns the original result.
 * Ids stored anywhere else are a conflict; no stored ids at all means it is not a retry.
 */
function findRetriedAppend(statements: Statements, request: AppendRequest): AppendResult | null {
  const { streamId, expected, events } = request;
  const stored = events.map((event) => statements.findEventId.get(event.eventId));
  if (stored.every((found) => found === undefined)) return null;
  const first = stored[0];
  const firstRevision =
    expected === 'no_stream' ? 0 : typeof expected === 'number' ? expected + 1 : first?.revision;
  const wantedAt = (index: number) =>
    firstRevision === undefined ? undefined : firstRevision + index;
  // Name an id stored elsewhere first: that is the caller's real mistake.
  const misplaced = stored.findIndex(
    (found, index) =>
      found !== undefined && (found.streamId !== streamId || found.revision !== wantedAt(index)),
  );
  if (misplaced >= 0) {
    const found = stored[misplaced]!;
    throw new ConflictError(
      'duplicate-event-id',
      `event ${events[misplaced]?.eventId} is already stored in stream ${found.streamId} at revision ${found.revision}`,
    );
  }
  const missing = stored.findIndex((found) => found === undefined);
  if (missing >= 0) {
    throw new ConflictError(
      'duplicate-event-id',
      `stream ${streamId}: event ${events[missing]?.eventId} is new but the others of this append are already stored, so it is not a retry`,
    );
  }
  const last = stored[stored.length - 1]!;
  return { streamId, streamRevision: last.revision, position: encodePosition(last.position) };
}

function isDuplicateEventId(error: unknown): boolean {
  return (
    error instanceof Error &&
    (error as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE' &&
    error.message.includes('events.event_id')
  );
}
