import { EventStoreDBClient } from '@eventstore/db-client';
import type { AppendResult as EsdbAppendResult } from '@eventstore/db-client';
import { withoutCredentials } from '../../config/redact';
import { ConfigError, StoreError, UnavailableError, ValidationError } from '../../errors';
import type { NewEvent, Position } from '../../events/envelope';
import type { Logger } from '../../logging/logger';
import { isValidStreamId } from '../port';
import type { AllSubscription, AppendResult, EventStore, ExpectedRevision } from '../port';
import type { ResubscribePolicy } from './catch-up-progress';
import { clientConnectionString } from './connection-string';
import { withinDeadline } from '../../deadline';
import { checkAppended, mapEsdbError } from './esdb-errors';
import type { EsdbConnection } from './esdb-reads';
import { readEsdbAll, readEsdbHeadPosition, readEsdbStream } from './esdb-reads';
import { readEsdbSnapshot, writeEsdbSnapshot } from './esdb-snapshots';
import { subscribeEsdbAll } from './esdb-subscription';
import { toEventData } from './event-mapping';
import { toEsdbExpectedRevision } from './expected-revision';
import type { ForeignEventReport } from './own-events';
import { encodeEsdbPosition, isLogPosition } from './position';

export type { ForeignEventReport };

export interface EsdbEventStoreOptions {
  /** Connection string, e.g. `esdb://localhost:2113?tls=false` or `kurrentdb://` (ESDB_URL). */
  url: string;
  logger: Logger;
  resubscribe?: Partial<ResubscribePolicy>;
  /** How long `ping` waits for an answer before calling the server unavailable. */
  pingTimeoutMs?: number;
  /** Longest wait for an append's answer, or for the next event of a read (default 10 s). */
  readTimeoutMs?: number;
  /** Strata's aggregate stream prefixes: `$all` is filtered on them (see own-events.ts). */
  streamPrefixes?: readonly string[];
  onForeignEvent?: (report: ForeignEventReport) => void;
}

/** Up to about a minute of retries before a subscription gives up and reports it. */
const DEFAULT_RESUBSCRIBE: ResubscribePolicy = {
  initialDelayMs: 100,
  maxDelayMs: 5_000,
  maxConsecutiveFailures: 15,
};

/**
 * The EventStore port over EventStoreDB / KurrentDB. Opening does not connect: the client
 * connects on first use, so a process can start while the server is still coming up and say
 * so through `ping` (`/readyz`) instead of crashing.
 */
export function openEsdbEventStore(options: EsdbEventStoreOptions): EventStore {
  const url = withoutCredentials(options.url);
  const connection: EsdbConnection = {
    client: connect(options.url, url),
    url,
    readTimeoutMs: options.readTimeoutMs ?? 10_000,
    streamPrefixes: options.streamPrefixes ?? [],
    logger: options.logger,
    ...(options.onForeignEvent ? { onForeignEvent: options.onForeignEvent } : {}),
  };
  const policy = { ...DEFAULT_RESUBSCRIBE, ...options.resubscribe };
  const pingTimeoutMs = options.pingTimeoutMs ?? 2_000;
  const subscriptions = new Set<AllSubscription>();
  const { client } = connection;
  options.logger.info('event store: EventStoreDB', {
    url,
    streamPrefixes: connection.streamPrefixes,
  });

  return {
    async append(
      streamId: string,
      events: NewEvent[],
      expected: ExpectedRevision,
    ): Promise<AppendResult> {
      if (!isValidStreamId(streamId)) {
        throw new ValidationError([
          { field: 'streamId', message: `${JSON.stringify(streamId)} is not a valid stream id` },
        ]);
      }
      const data = toEventData(events);
      const expectedRevision = toEsdbExpectedRevision(expected);
      try {
        const result = checkAppended(
          await withinDeadline(
            client.appendToStream(streamId, data, { expectedRevision }),
            connection.readTimeoutMs,
            `EventStoreDB at ${url} (append to ${streamId})`,
          ),
          streamId,
          expected,
        );
        return {
          streamId,
          streamRevision: Number(result.nextExpectedRevision),
          position: await appendedPosition(connection, streamId, data.length, result),
        };
      } catch (error) {
        throw mapEsdbError(error, { url, streamId, expected });
      }
    },
    readStream: (streamId, readOptions) => readEsdbStream(connection, streamId, readOptions),
    readAll: (readOptions) => readEsdbAll(connection, readOptions),
    headPosition: () => readEsdbHeadPosition(connection),
    subscribeToAll(subscribeOptions = {}) {
      const subscription = subscribeEsdbAll(connection, subscribeOptions, {
        logger: options.logger,
        policy,
        onClosed: (closed) => subscriptions.delete(closed),
      });
      subscriptions.add(subscription);
      return subscription;
    },
    readSnapshot: (streamId, version) => readEsdbSnapshot(connection, streamId, version),
    writeSnapshot: (streamId, snapshot) => writeEsdbSnapshot(connection, streamId, snapshot),
    async ping() {
      try {
        await readEsdbHeadPosition({ ...connection, readTimeoutMs: pingTimeoutMs });
      } catch (error) {
        const problem = mapEsdbError(error, { url });
        throw problem instanceof UnavailableError
          ? problem
          : new UnavailableError(problem.message, 1, { cause: problem });
      }
    },
    async close() {
      await Promise.all([...subscriptions].map((subscription) => subscription.close()));
      await client.dispose();
    },
  };
}

/** `shown` (no credentials) is what a refusal names; the client gets the real string. */
function connect(url: string, shown: string): EventStoreDBClient {
  const connectionString = clientConnectionString(url);
  try {
    return EventStoreDBClient.connectionString(connectionString);
  } catch (error) {
    throw new ConfigError(
      `ESDB_URL: ${JSON.stringify(shown)} is not an EventStoreDB connection string: ` +
        String(error).split(url).join(shown),
    );
  }
}

/**
 * Where the last appended event sits in `$all`. The server's answer is used only for a
 * single-event append: for several events its prepare half may name the first event rather
 * than the last (it has differed between server versions), and a recognised retry (same event
 * ids at the same revisions, nothing stored) carries no position at all. In those cases the
 * last event is read back, so the position always equals what readers of `$all` will see.
 */
async function appendedPosition(
  connection: EsdbConnection,
  streamId: string,
  eventCount: number,
  result: EsdbAppendResult,
): Promise<Position> {
  if (eventCount === 1 && result.position !== undefined && isLogPosition(result.position)) {
    return encodeEsdbPosition(result.position);
  }
  const revision = Number(result.nextExpectedRevision);
  for await (const event of readEsdbStream(connection, streamId, {
    fromRevision: revision,
    maxCount: 1,
    requiresLeader: true,
  })) {
    return event.position;
  }
  throw new StoreError(
    `EventStoreDB at ${connection.url} acknowledged ${streamId}@${revision} but does not return it`,
  );
}
