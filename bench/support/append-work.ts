import { performance } from 'node:perf_hooks';
import type Database from 'better-sqlite3';
import type { NewEvent } from '../../shared-kernel/events/envelope';
import type { EventStore, ExpectedRevision } from '../../shared-kernel/event-store/port';
import { newId } from '../../shared-kernel/ids';
import { runInFlight } from './measure';

/**
 * The append work the event-store and peers benchmarks share: the same event, made the same
 * way, appended by concurrent writers or by plain better-sqlite3 as the baseline.
 */
export function sampleEvent(n: number): NewEvent {
  return benchEvent('ProductPriceChanged', {
    productId: newId(),
    sku: `SKU-${n}`,
    price: { amount: 1000 + (n % 9000), currency: 'EUR' },
  });
}

/** A new event as the benchmarks write one: fresh ids, the bench as actor, caused by nothing. */
export function benchEvent(type: string, data: object): NewEvent {
  return {
    eventId: newId(),
    type,
    data,
    metadata: {
      correlationId: newId(),
      causationId: null,
      actor: 'bench',
      occurredAt: new Date().toISOString(),
      schemaVersion: 1,
    },
  };
}

/** Events made before the clock starts: generating UUIDs is the caller's cost, not the store's. */
export function prepareAppends(appends: number, batch: number): NewEvent[][] {
  return Array.from({ length: appends }, (_, i) =>
    Array.from({ length: batch }, (_, k) => sampleEvent(i * batch + k)),
  );
}

/** An event store's append, whichever store it is. */
export type Append = (
  streamId: string,
  events: NewEvent[],
  expected: ExpectedRevision,
) => Promise<unknown>;

export function appendTo(store: EventStore): Append {
  return (streamId, events, expected) => store.append(streamId, events, expected);
}

/**
 * `writers` clients, each appending to its own stream with the exact expected revision. A failed
 * append ends the run, or with `onFailure` is handed to it and the writer's next append expects
 * the same revision again (so one failure does not turn every later append into a conflict).
 * `budgetSeconds` bounds the run as `runInFlight`'s does.
 */
export function appendConcurrently(
  append: Append,
  writers: number,
  total: number,
  batch: number,
  options: { onFailure?: (error: unknown) => void; budgetSeconds?: number } = {},
) {
  const perWriter = Math.ceil(total / writers);
  const streams = Array.from({ length: writers }, (_, w) => `bench-${w}-${newId()}`);
  const revisions = streams.map(() => -1);
  const prepared = prepareAppends(perWriter * writers, batch);
  const { onFailure, budgetSeconds } = options;
  const appendNext = async (writer: number, i: number) => {
    const events = prepared[writer * perWriter + i]!;
    const revision = revisions[writer]!;
    try {
      await append(streams[writer]!, events, revision === -1 ? 'no_stream' : revision);
      revisions[writer] = revision + batch;
    } catch (error) {
      if (onFailure === undefined) throw error;
      onFailure(error);
    }
  };
  return runInFlight(writers, perWriter, appendNext, budgetSeconds);
}

/**
 * Plain better-sqlite3 into the event store's own table (`db` opened with its pragmas): one
 * prepared insert per event, one transaction per append. Returns events per second.
 */
export function plainAppends(db: Database.Database, appends: number, batch: number): number {
  const insert = db.prepare(
    `INSERT INTO events (stream_id, revision, event_id, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const streamId = `plain-${batch}-${newId()}`;
  let revision = 0;
  const append = db.transaction((events: NewEvent[]) => {
    const recordedAt = new Date().toISOString();
    for (const e of events) {
      const [data, metadata] = [JSON.stringify(e.data), JSON.stringify(e.metadata)];
      insert.run(streamId, revision++, e.eventId, e.type, data, metadata, recordedAt);
    }
  });
  const prepared = prepareAppends(appends, batch);
  const started = performance.now();
  for (const events of prepared) append(events);
  return (appends * batch) / ((performance.now() - started) / 1000);
}
