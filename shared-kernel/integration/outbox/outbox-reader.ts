import { setTimeout as sleep } from 'node:timers/promises';
import { ValidationError } from '../../errors';
import type { CloudEventHeaders, JsonObject } from '../port';
import {
  openOutboxForReading,
  outboxFile,
  toOutboxError,
  type OutboxLocation,
} from './outbox-database';

export interface OutboxRecord {
  seq: number;
  topic: string;
  key: string;
  ceId: string;
  type: string;
  headers: CloudEventHeaders;
  value: JsonObject;
  createdAt: string;
}

export interface ReadOutboxOptions {
  /** Exclusive: rows after this seq; default from the start. */
  after?: number;
  limit: number;
  topic?: string;
}

export interface TailOutboxOptions extends OutboxLocation {
  after?: number;
  topic?: string;
  /** Keep waiting for new rows (like `tail -f`) until `signal` aborts; otherwise stop at the end. */
  follow?: boolean;
  pollIntervalMs?: number;
  pageSize?: number;
  signal?: AbortSignal;
}

export interface OutboxReader {
  readonly file: string;
  readOutbox(options: ReadOutboxOptions): OutboxRecord[];
  close(): void;
}

interface OutboxRow {
  seq: number;
  topic: string;
  key: string;
  ce_id: string;
  type: string;
  headers: string;
  value: string;
  created_at: string;
}

const MAX_LIMIT = 10_000;

/** A read-only view of the outbox, safe to use while a worker is publishing into it. */
export function openOutboxReader(location: OutboxLocation): OutboxReader {
  const file = outboxFile(location);
  const db = openOutboxForReading(file);
  const columns = 'seq, topic, key, ce_id, type, headers, value, created_at';
  const all = db.prepare(`SELECT ${columns} FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?`);
  const ofTopic = db.prepare(
    `SELECT ${columns} FROM outbox WHERE topic = ? AND seq > ? ORDER BY seq LIMIT ?`,
  );
  return {
    file,
    readOutbox({ after = 0, limit, topic }) {
      if (!Number.isSafeInteger(after) || after < 0) {
        throw new ValidationError([{ field: 'after', message: 'must be a seq (integer >= 0)' }]);
      }
      if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
        throw new ValidationError([{ field: 'limit', message: `must be 1 to ${MAX_LIMIT}` }]);
      }
      try {
        const rows = topic === undefined ? all.all(after, limit) : ofTopic.all(topic, after, limit);
        return (rows as OutboxRow[]).map(toRecord);
      } catch (cause) {
        throw toOutboxError(cause, file);
      }
    },
    close: () => db.close(),
  };
}

/**
 * What `strata integration tail` prints: the outbox in seq order, page by page (flat memory
 * however long it is), then, with `follow`, new rows as they are committed.
 */
export async function* tailOutbox(options: TailOutboxOptions): AsyncGenerator<OutboxRecord> {
  const reader = openOutboxReader(options);
  const pageSize = options.pageSize ?? 500;
  const { topic, signal } = options;
  let after = options.after ?? 0;
  try {
    while (!signal?.aborted) {
      const page = reader.readOutbox({ after, limit: pageSize, topic });
      for (const record of page) {
        yield record;
        after = record.seq;
      }
      if (page.length === pageSize) continue;
      if (!options.follow) return;
      await sleep(options.pollIntervalMs ?? 500, undefined, { signal }).catch(() => undefined);
    }
  } finally {
    reader.close();
  }
}

function toRecord(row: OutboxRow): OutboxRecord {
  return {
    seq: row.seq,
    topic: row.topic,
    key: row.key,
    ceId: row.ce_id,
    type: row.type,
    headers: JSON.parse(row.headers) as CloudEventHeaders,
    value: JSON.parse(row.value) as JsonObject,
    createdAt: row.created_at,
  };
}
