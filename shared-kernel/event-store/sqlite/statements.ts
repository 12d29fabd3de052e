import type Database from 'better-sqlite3';
import type { RecordedEvent } from '../../events/envelope';
import { partitionOf } from '../stream-hash';
import { encodePosition } from './positions';

/** Column order of every event read; rows come back as arrays (cheaper than objects). */
const EVENT_COLUMNS = 'position, stream_id, revision, event_id, type, data, metadata, recorded_at';

/** Data and metadata are null in a row read without its payload (`...WithoutPayloads`). */
export type EventRow = [
  number,
  string,
  number,
  string,
  string,
  string | null,
  string | null,
  string,
];

/** A window of positions (after, end], of these types (a JSON array), in partition index of count. */
interface WindowParams {
  after: number;
  end: number;
  types: string;
  index?: number;
  count?: number;
}

/** Every statement the store runs, prepared once when it opens. */
export function prepareStatements(db: Database.Database) {
  const rows = (sql: string) => db.prepare<unknown[], EventRow>(sql).raw(true);
  // A partition's reads skip the other partitions' rows in the query: handing every row out only
  // to drop it cost a row array and an event per row (4 partitions of 160,000 order events read
  // in 0.3-0.45 s instead of 0.72-0.74 s, before counting what the runner did with them).
  db.function('strata_partition_of', { deterministic: true, directOnly: true }, (id, count) =>
    partitionOf(String(id), Number(count)),
  );
  const window = (inRange: string) =>
    db
      .prepare<[WindowParams], EventRow>(
        `SELECT position, stream_id, revision, event_id, type, NULL, NULL, recorded_at FROM events
         WHERE position > @after AND position <= @end
           AND ((type IN (SELECT value FROM json_each(@types)) AND ${inRange})
                OR position = (SELECT max(position) FROM events WHERE position <= @end))
         ORDER BY position`,
      )
      .raw(true);
  return {
    /** [streamId, revision, eventId, type, data, metadata, recordedAt]; position is the rowid. */
    insert: db.prepare<[string, number, string, string, string, string, string]>(
      `INSERT INTO events (stream_id, revision, event_id, type, data, metadata, recorded_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    headSequence: db.prepare<[], number | null>('SELECT max(position) FROM events').pluck(),
    streamRevision: db
      .prepare<[string], number | null>('SELECT max(revision) FROM events WHERE stream_id = ?')
      .pluck(),
    findEventId: db.prepare<[string], { streamId: string; revision: number; position: number }>(
      'SELECT stream_id AS streamId, revision, position FROM events WHERE event_id = ?',
    ),
    /** [after, limit] */
    allPage: rows(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT ?`,
    ),
    /**
     * [after, types as a JSON array, limit]: one prepared statement whatever the set; each row
     * of the position scan is checked against it before its columns are read and decoded.
     */
    allPageOfTypes: rows(
      `SELECT ${EVENT_COLUMNS} FROM events
       WHERE position > ? AND type IN (SELECT value FROM json_each(?)) ORDER BY position LIMIT ?`,
    ),
    /**
     * [after, limit]: a page without the payloads (data and metadata null), for a subscriber
     * that decodes few of the events; `payloadsAt` then reads those it does. Allocating the
     * payload text of every row of the log was most of a partition's reading cost.
     */
    allPageWithoutPayloads: rows(
      `SELECT position, stream_id, revision, event_id, type, NULL, NULL, recorded_at FROM events
       WHERE position > ? ORDER BY position LIMIT ?`,
    ),
    /**
     * { after, end, types }: the events of those types among positions (after, end], and the
     * last event up to `end` whatever its type, so a subscriber's checkpoint can move to it.
     */
    windowOfTypesWithoutPayloads: window('1'),
    /** As `windowOfTypesWithoutPayloads`, of the streams of partition `index` of `count`. */
    windowOfTypesInPartitionWithoutPayloads: window(
      'strata_partition_of(stream_id, @count) = @index',
    ),
    /** [positions as a JSON array] -> [position, data, metadata] */
    payloadsAt: db
      .prepare<[string], [number, string, string]>(
        `SELECT position, data, metadata FROM events
         WHERE position IN (SELECT value FROM json_each(?))`,
      )
      .raw(true),
    /** [streamId, fromRevision, until, limit] */
    streamForwards: rows(
      `SELECT ${EVENT_COLUMNS} FROM events
       WHERE stream_id = ? AND revision >= ? AND recorded_at <= ? ORDER BY revision LIMIT ?`,
    ),
    /** [streamId, fromRevision, until, limit] */
    streamBackwards: rows(
      `SELECT ${EVENT_COLUMNS} FROM events
       WHERE stream_id = ? AND revision <= ? AND recorded_at <= ? ORDER BY revision DESC LIMIT ?`,
    ),
    readSnapshot: db.prepare<
      [string],
      { revision: number; position: number; version: string; state: string }
    >('SELECT revision, position, version, state FROM snapshots WHERE stream_id = ?'),
    /** [streamId, revision, position, version, state]; an older one of the same version loses. */
    writeSnapshot: db.prepare<[string, number, number, string, string]>(
      `INSERT INTO snapshots (stream_id, revision, position, version, state) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (stream_id) DO UPDATE SET
         revision = excluded.revision, position = excluded.position,
         version = excluded.version, state = excluded.state
       WHERE excluded.version <> snapshots.version OR excluded.revision > snapshots.revision`,
    ),
    dataVersion: db.prepare<[], number>('PRAGMA data_version').pluck(),
    begin: db.prepare('BEGIN IMMEDIATE'),
    commit: db.prepare('COMMIT'),
    rollback: db.prepare('ROLLBACK'),
    savepoint: db.prepare('SAVEPOINT append'),
    releaseSavepoint: db.prepare('RELEASE append'),
    rollbackToSavepoint: db.prepare('ROLLBACK TO append'),
  };
}

export type Statements = ReturnType<typeof prepareStatements>;

const UNDECODED = Object.freeze({}) as RecordedEvent['metadata'];

/**
 * A row as the event it stores; a row read without its payload (an event the subscriber does not
 * fold, see `decodes`) has data null and empty metadata.
 */
export function toRecordedEvent(row: EventRow): RecordedEvent {
  const [data, metadata] = [row[5], row[6]];
  return {
    eventId: row[3],
    type: row[4],
    data: data === null ? null : (JSON.parse(data) as unknown),
    metadata: metadata === null ? UNDECODED : (JSON.parse(metadata) as RecordedEvent['metadata']),
    streamId: row[1],
    revision: row[2],
    position: encodePosition(row[0]),
    recordedAt: row[7],
  };
}
