import { ANY, BACKWARDS, END, ErrorType, isCommandError, jsonEvent } from '@eventstore/db-client';
import { StoreError } from '../../errors';
import type { Snapshot } from '../port';
import { checkedSnapshot } from '../snapshot-checks';
import { mapEsdbError } from './esdb-errors';
import type { EsdbConnection } from './esdb-reads';

/**
 * Snapshots live in one stream per aggregate, `snapshot-<stream id>`, capped by `$maxCount: 1`
 * (the server hides and later scavenges the older ones). The prefix is not an aggregate's, so
 * a subscription filtered on Strata's aggregate prefixes never receives them, and the adapter's
 * own reads of `$all` skip them too (`isSystemEvent`).
 */
export const SNAPSHOT_STREAM_PREFIX = 'snapshot-';
const SNAPSHOT_EVENT_TYPE = 'StrataSnapshot';

export function snapshotStreamOf(streamId: string): string {
  return SNAPSHOT_STREAM_PREFIX + streamId;
}

export async function readEsdbSnapshot(
  { client, url }: EsdbConnection,
  streamId: string,
  version: string,
): Promise<Snapshot | null> {
  const stream = snapshotStreamOf(streamId);
  try {
    for await (const { event } of client.readStream(stream, {
      direction: BACKWARDS,
      fromRevision: END,
      maxCount: 1,
    })) {
      if (event?.type !== SNAPSHOT_EVENT_TYPE) return null;
      const snapshot = event.data as unknown as Snapshot;
      if (typeof snapshot !== 'object' || snapshot === null) {
        throw new StoreError(`${stream}@${event.revision} is not a snapshot`);
      }
      return snapshot.version === version ? snapshot : null;
    }
    return null;
  } catch (error) {
    if (error instanceof StoreError) throw error;
    if (
      error instanceof Error &&
      isCommandError(error) &&
      error.type === ErrorType.STREAM_NOT_FOUND
    ) {
      return null;
    }
    throw mapEsdbError(error, { url, streamId: stream });
  }
}

export async function writeEsdbSnapshot(
  { client, url }: EsdbConnection,
  streamId: string,
  snapshot: Snapshot,
): Promise<number> {
  const json = checkedSnapshot(streamId, snapshot);
  const stream = snapshotStreamOf(streamId);
  const { revision, position, version, state } = snapshot;
  const data = { revision, position, version, state } as Record<string, unknown>;
  try {
    const result = await client.appendToStream(
      stream,
      jsonEvent({ type: SNAPSHOT_EVENT_TYPE, data }),
      { expectedRevision: ANY },
    );
    // Set once, with the stream's first snapshot: from then on only the newest one is kept.
    if (result.nextExpectedRevision === 0n) {
      await client.setStreamMetadata(stream, { maxCount: 1 });
    }
    return json.length;
  } catch (error) {
    throw mapEsdbError(error, { url, streamId: stream });
  }
}
