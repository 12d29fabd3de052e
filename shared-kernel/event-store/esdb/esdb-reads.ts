import { BACKWARDS, END, ErrorType, FORWARDS, START, isCommandError } from '@eventstore/db-client';
import type {
  AllStreamResolvedEvent,
  EventStoreDBClient,
  Position as EsdbPosition,
  StreamingRead,
} from '@eventstore/db-client';
import type { Position, RecordedEvent } from '../../events/envelope';
import type { ReadAllOptions, ReadStreamOptions } from '../port';
import { idleBounded } from './deadline';
import { mapEsdbError } from './esdb-errors';
import { toRecordedEvent } from './event-mapping';
import { ownEvent, type OwnEvents } from './own-events';
import { decodeEsdbPosition, encodeEsdbPosition } from './position';
import { checkReadAllOptions, checkReadStreamOptions } from './read-options';

/** What every read needs: the client, the URL it talks to (credentials hidden), its bounds. */
export interface EsdbConnection extends OwnEvents {
  client: EventStoreDBClient;
  /** Without `user:password@`: the only form messages and logs ever show. */
  url: string;
  /** Longest wait for the next event of a read (or an append's answer) before 503. */
  readTimeoutMs: number;
}

/** Events per request when a read must page: `maxCount` reads and the head's backward search. */
const PAGE = 64;

/**
 * Reads one stream. The server has no time filter, so `until` is applied here: forwards the
 * read stops at the first event recorded after it; backwards it skips the newer ones first.
 * `requiresLeader` reads from the leader even with a follower preference: right after an
 * append, a follower may not have it yet.
 */
export async function* readEsdbStream(
  connection: EsdbConnection,
  streamId: string,
  options: ReadStreamOptions & { requiresLeader?: boolean } = {},
): AsyncGenerator<RecordedEvent> {
  const { client, url } = connection;
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
    ...(options.requiresLeader ? { requiresLeader: true } : {}),
  });
  const limit = until?.getTime();
  let delivered = 0;
  try {
    for await (const resolved of bounded(connection, read, `stream ${streamId}`)) {
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

/**
 * Reads Strata's events in `$all` after a position. Client 6.2.1 cannot filter `$all` reads on
 * the server, so foreign and system events are skipped here; with `maxCount` the read pages
 * (sending the count to the server) until it has that many or reaches the end of the log.
 */
export async function* readEsdbAll(
  connection: EsdbConnection,
  options: ReadAllOptions = {},
): AsyncGenerator<RecordedEvent> {
  const { after = null, maxCount } = checkReadAllOptions(options);
  let from = after;
  let delivered = 0;
  while (maxCount === undefined || delivered < maxCount) {
    // The server starts at the position itself; `after` is exclusive, hence one more and a skip.
    const asked =
      maxCount === undefined ? undefined : Math.min(Math.max(maxCount - delivered, PAGE), 1000);
    const page = asked === undefined ? undefined : asked + (from === null ? 0 : 1);
    let seen = 0;
    let last: Position | null = null;
    for await (const { position, event } of pageOfAll(connection, FORWARDS, from, page)) {
      seen += 1;
      last = position;
      if (from !== null && position <= from) continue;
      if (event === null) continue;
      yield event;
      if (maxCount !== undefined && ++delivered >= maxCount) return;
    }
    if (page === undefined || seen < page || last === null) return;
    from = last;
  }
}

/**
 * The position of the newest of Strata's events, or null: a backward read in pages, so a log
 * whose tail is someone else's costs a few bounded requests, never an unbounded stream.
 */
export async function readEsdbHeadPosition(connection: EsdbConnection): Promise<Position | null> {
  let before: Position | null = null;
  for (;;) {
    let seen = 0;
    let oldest: Position | null = null;
    const page: number = before === null ? PAGE : PAGE + 1;
    const paged: AsyncGenerator<PagedEvent> = pageOfAll(connection, BACKWARDS, before, page);
    for await (const { position, event } of paged) {
      seen += 1;
      oldest = position;
      if (before !== null && position >= before) continue;
      if (event !== null) return event.position;
    }
    if (seen < page || oldest === null) return null;
    before = oldest;
  }
}

interface PagedEvent {
  position: Position;
  /** Null for an event that is not Strata's (skipped, and reported once). */
  event: RecordedEvent | null;
}

async function* pageOfAll(
  connection: EsdbConnection,
  direction: typeof FORWARDS | typeof BACKWARDS,
  from: Position | null,
  maxCount: number | undefined,
): AsyncGenerator<PagedEvent> {
  const start: EsdbPosition | typeof START | typeof END =
    from === null ? (direction === FORWARDS ? START : END) : decodeEsdbPosition(from);
  const read = connection.client.readAll({
    direction,
    fromPosition: start,
    ...(maxCount === undefined ? {} : { maxCount }),
  });
  try {
    for await (const { event } of bounded(connection, read, '$all')) {
      if (event === undefined) continue;
      const position = encodeEsdbPosition(event.position);
      yield { position, event: ownEvent(connection, event) };
    }
  } catch (error) {
    throw mapEsdbError(error, { url: connection.url });
  } finally {
    await cancelQuietly(read);
  }
}

function bounded<T extends AllStreamResolvedEvent | object>(
  connection: EsdbConnection,
  read: StreamingRead<T>,
  what: string,
): AsyncGenerator<T> {
  return idleBounded(
    read,
    connection.readTimeoutMs,
    `EventStoreDB at ${connection.url} (${what})`,
    () => void read.cancel().catch(() => undefined),
  );
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
