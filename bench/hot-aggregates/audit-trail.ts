import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { openSqliteDocumentStore } from '../../shared-kernel/document-store/sqlite/sqlite-document-store';
import type { DocumentStore } from '../../shared-kernel/document-store/port';
import type { Position, RecordedEvent } from '../../shared-kernel/events/envelope';
import { commitEvents } from '../../projections/engine/commit';
import {
  auditCollection,
  auditEntryId,
  auditProjection,
} from '../../projections/read-models/audit';
import { aggregateState } from '../../read-side/audit/aggregate-state';
import { domainEventUpcasting } from '../../write-side/aggregates';
import { createLatencyRecorder, type LatencySummary } from '../support/measure';
import { seededRandom } from '../projections/seeded-random';
import { hotHistory, type HotAggregate } from './hot-history';

export interface AuditFigures {
  events: number;
  /** Bytes the audit trail takes per event (pages in use, after the writes settled). */
  bytesPerEvent: number;
  /** The same events kept once each in a plain table, as the log keeps them. */
  plainBytesPerEvent: number;
  eventsPerSecond: number;
}

export interface StateQueryFigures {
  byVersion: LatencySummary;
  asOf: LatencySummary;
  /** One document read by id: what a state stored with every event cost to answer. */
  singleRead: LatencySummary;
}

const BATCH = 1000;

/**
 * The audit trail of one aggregate with `events` events in its history, folded through the
 * engine's commit path in batches of 1,000 as the worker would, into a fresh read-model file;
 * then its size per event, and (when `queries` > 0) state-as-of queries at random versions
 * and times, as the query API answers them.
 */
export async function measureAuditTrail(
  dir: string,
  aggregate: HotAggregate,
  events: number,
  queries: number,
): Promise<{ trail: AuditFigures; queries: StateQueryFigures | null }> {
  const file = path.join(dir, `audit-${aggregate}-${events}.db`);
  const store = openSqliteDocumentStore({ file });
  const history = hotHistory(aggregate, events);
  const { empty, eventsPerSecond } = await (async () => {
    try {
      await store.ensureCollection(auditCollection());
      const before = pagesInUse(file);
      return { empty: before, eventsPerSecond: await foldIntoAudit(store, history.events()) };
    } finally {
      await store.close();
    }
  })();
  const trail: AuditFigures = {
    events,
    bytesPerEvent: (pagesInUse(file) - empty) / events,
    plainBytesPerEvent: plainBytesPerEvent(dir, history.events(), events),
    eventsPerSecond,
  };
  if (queries === 0) return { trail, queries: null };
  const reopened = openSqliteDocumentStore({ file });
  try {
    return { trail, queries: await stateQueries(reopened, history, queries) };
  } finally {
    await reopened.close();
    fs.rmSync(file, { force: true });
  }
}

async function foldIntoAudit(store: DocumentStore, events: Iterable<RecordedEvent>) {
  const upcasting = domainEventUpcasting();
  const spec = { projection: auditProjection(), rebuildable: true };
  const context = { spec, store, upcast: (e: RecordedEvent) => upcasting.upcast(e) };
  let from: Position | null = null;
  let batch: RecordedEvent[] = [];
  let count = 0;
  const started = performance.now();
  for (const event of events) {
    batch.push(event);
    count += 1;
    if (batch.length < BATCH) continue;
    await commitEvents(context, { events: batch, from, to: event.position });
    from = event.position;
    batch = [];
  }
  const last = batch.at(-1);
  if (last) await commitEvents(context, { events: batch, from, to: last.position });
  return count / ((performance.now() - started) / 1000);
}

async function stateQueries(
  store: DocumentStore,
  history: ReturnType<typeof hotHistory>,
  queries: number,
): Promise<StateQueryFigures> {
  const random = seededRandom(queries);
  const [byVersion, asOf, singleRead] = [1, 2, 3].map(() => createLatencyRecorder(queries));
  const timed = async (recorder: typeof byVersion, query: () => Promise<unknown>) => {
    const started = performance.now();
    await query();
    recorder!.record(performance.now() - started);
  };
  for (let i = 0; i < queries; i++) {
    const version = random.int(history.count);
    await timed(byVersion, () => aggregateState(store, history.type, history.id, { version }));
    const at = { asOf: history.occurredAt(random.int(history.count)) };
    await timed(asOf, () => aggregateState(store, history.type, history.id, at));
    const id = auditEntryId(history.streamId, random.int(history.count));
    await timed(singleRead, () => store.get(auditCollection().name, id));
  }
  return {
    byVersion: byVersion!.summary(),
    asOf: asOf!.summary(),
    singleRead: singleRead!.summary(),
  };
}

function pagesInUse(file: string): number {
  const db = new Database(file, { readonly: true });
  try {
    return pagesInUseOf(db);
  } finally {
    db.close();
  }
}

/** The raw baseline: every event once, as a row of the log (ids, stream, type, data, metadata). */
function plainBytesPerEvent(dir: string, events: Iterable<RecordedEvent>, count: number): number {
  const file = path.join(dir, `plain-log-${count}.db`);
  const db = new Database(file);
  try {
    db.exec(`CREATE TABLE events (position INTEGER PRIMARY KEY, event_id TEXT NOT NULL UNIQUE,
      stream_id TEXT NOT NULL, revision INTEGER NOT NULL, type TEXT NOT NULL, data TEXT NOT NULL,
      metadata TEXT NOT NULL, recorded_at TEXT NOT NULL, UNIQUE (stream_id, revision))`);
    const empty = pagesInUseOf(db);
    const insert = db.prepare('INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    const insertAll = db.transaction((batch: RecordedEvent[]) => {
      for (const e of batch) {
        insert.run(
          Number.parseInt(e.position, 16),
          e.eventId,
          e.streamId,
          e.revision,
          e.type,
          JSON.stringify(e.data),
          JSON.stringify(e.metadata),
          e.recordedAt,
        );
      }
    });
    let batch: RecordedEvent[] = [];
    for (const event of events) {
      batch.push(event);
      if (batch.length < BATCH) continue;
      insertAll(batch);
      batch = [];
    }
    insertAll(batch);
    return (pagesInUseOf(db) - empty) / count;
  } finally {
    db.close();
    fs.rmSync(file, { force: true });
  }
}

/** Pages in use (not free) times the page size: what the data takes, whatever the file's slack. */
function pagesInUseOf(db: Database.Database): number {
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const pages = db.pragma('page_count', { simple: true }) as number;
  const free = db.pragma('freelist_count', { simple: true }) as number;
  return (pages - free) * pageSize;
}
