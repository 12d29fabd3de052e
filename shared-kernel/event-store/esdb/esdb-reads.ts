import { BACKWARDS, END, ErrorType, FORWARDS, START, isCommandError } from '@eventstore/db-client';
import type { EventStoreDBClient, StreamingRead } from '@eventstore/db-client';
import type { Position, RecordedEvent } from '../../events/envelope';
import type { ReadAllOptions, ReadStreamOptions } from '../port';
import { mapEsdbError } from './esdb-errors';
import { isSystemEvent, toRecordedEvent } from './event-mapping';
import { decodeEsdbPosition, encodeEsdbPosition } from './position';
import { checkReadAllOptions, checkReadStreamOptions } from './read-options';

/** What every read needs: the client and, for error messages, the URL it talks to. */
export interface EsdbConnection {
  client: EventStoreDBClient;
  url: string;
}

/**
 * Reads one stream. The server has no time filter, so `until` is applied here: forwards the
 * read stops at the first event recorded after it; backwards it skips the newer ones first.
 */
export async function* readEsdbStream(
  { client, url }: EsdbConnection,
  streamId: string,
  options: ReadStreamOptions = {},
): AsyncGenerator<RecordedEvent> {
  const {
    direction = 'forwards',
    fromRevision,
    maxCount,
    until,
  } = checkReadStreamOptions(streamId, options);
  const backwards = direction === 'backwards';
  const read = client.readStream(streamId, {
    direction: backwards ? BACKWARDS : FORWARDS,
    fromRevision: fromRevision === undefined ? (backwards ? END : START) : BigInt(fromRevision),
    // With `until` some events are skipped here, so the server cannot do the counting.
    ...(maxCount !== undefined && until === undefined ? { maxCount } : {}),
  });
  const limit = until?.getTime();
  let delivered = 0;
  try {
    for await (const resolved of read) {
      if (resolved.event === undefined) continue;
      const recordedAfter = limit !== undefined && resolved.event.created.getTime() > limit;
      if (recordedAfter && !backwards) return;
      if (recordedAfter) continue;
      yield toRecordedEvent(resolved.event);
      if (maxCount !== undefined && ++delivered >= maxCount) return;
    }
  } catch (error) {
    if (isGone(error)) return;
    throw mapEsdbError(error, { url, streamId });
  } finally {
    await cancelQuietly(read);
  }
}

/** Reads `$all` after a position, skipping the server's own events. */
export async function* readEsdbAll(
  { client, url }: EsdbConnection,
  options: ReadAllOptions = {},
): AsyncGenerator<RecordedEvent> {
  const { after = null, maxCount } = checkReadAllOptions(options);
  const read = client.readAll({
    direction: FORWARDS,
    // The server starts a read at the position itself; `after` is exclusive, hence the skip below.
    fromPosition: after === null ? START : decodeEsdbPosition(after),
  });
  let delivered = 0;
  try {
    for await (const { event } of read) {
      if (event === undefined || isSystemEvent(event)) continue;
      if (after !== null && encodeEsdbPosition(event.position) <= after) continue;
      yield toRecordedEvent(event);
      if (maxCount !== undefined && ++delivered >= maxCount) return;
    }
  } catch (error) {
    throw mapEsdbError(error, { url });
  } finally {
    await cancelQuietly(read);
  }
}

/** The newest domain event's position: a backwards read that stops at the first one found. */
export async function readEsdbHeadPosition(
  { client, url }: EsdbConnection,
  deadline?: number,
): Promise<Position | null> {
  const read = client.readAll({
    direction: BACKWARDS,
    fromPosition: END,
    ...(deadline === undefined ? {} : { deadline }),
  });
  try {
    for await (const { event } of read) {
      if (event !== undefined && !isSystemEvent(event)) return encodeEsdbPosition(event.position);
    }
    return null;
  } catch (error) {
    throw mapEsdbError(error, { url });
  } finally {
    await cancelQuietly(read);
  }
}

/** A missing or deleted stream reads as empty, as the port says. */
function isGone(error: unknown): boolean {
  return (
    error instanceof Error &&
    isCommandError(error) &&
    (error.type === ErrorType.STREAM_NOT_FOUND || error.type === ErrorType.STREAM_DELETED)
  );
}

/** Stops the server-side read when the caller leaves early; a finished call ignores it. */
async function cancelQuietly(read: StreamingRead<unknown>): Promise<void> {
  if (read.readableEnded) return;
  try {
    await read.cancel();
  } catch {
    // Cancelling a call that already failed has nothing left to stop.
  }
}
