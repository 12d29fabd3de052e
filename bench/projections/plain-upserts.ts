import Database from 'better-sqlite3';
import path from 'node:path';
import { cpuMicros, startMemorySampler } from '../support/measure';

export interface PlainFigures {
  /** Events in the log (the rates are per event of the log). */
  events: number;
  /** Events read and parsed: those of the read model's types. */
  read: number;
  documents: number;
  perSecond: number;
  cpuMicrosEach: number;
  peakRssMb: number;
}

type Row = [number, string, number, string, string, string];

/**
 * The baseline: what a read-model rebuild costs done by hand with better-sqlite3. It reads the
 * same events in the same batches (only the read model's `types`, filtered in the query, as the
 * rebuild reads them), parses them, and in one transaction per batch writes as many
 * JSON documents as the read model wrote for that batch (`INSERT ... ON CONFLICT DO UPDATE`,
 * keyed by stream so documents are updated again and again as in a real model) plus the
 * checkpoint. Same pragmas as the document store (WAL, synchronous=NORMAL, 64 MiB cache). It
 * folds nothing and loads nothing: the ratio is the price of the engine and the read model.
 */
export function plainUpserts(options: {
  eventsFile: string;
  dataDir: string;
  name: string;
  batchSize: number;
  writesPerBatch: readonly number[];
  /** The types the read model handles; every type when absent. */
  types?: ReadonlySet<string>;
}): PlainFigures {
  const source = new Database(options.eventsFile, { readonly: true });
  const target = new Database(path.join(options.dataDir, `plain-${options.name}.db`));
  target.pragma('journal_mode = WAL');
  target.pragma('synchronous = NORMAL');
  target.pragma('cache_size = -65536');
  target.exec(`CREATE TABLE docs (id TEXT PRIMARY KEY, doc TEXT NOT NULL);
    CREATE TABLE checkpoints (processor TEXT PRIMARY KEY, position TEXT NOT NULL)`);
  const upsert = target.prepare(
    'INSERT INTO docs (id, doc) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET doc = excluded.doc',
  );
  const checkpoint = target.prepare(
    `INSERT INTO checkpoints (processor, position) VALUES (?, ?)
     ON CONFLICT (processor) DO UPDATE SET position = excluded.position`,
  );
  let documents = 0;
  const commit = target.transaction((batch: ParsedEvent[], writes: number) => {
    for (let j = 0; j < writes; j++) {
      const event = batch[j % batch.length]!;
      upsert.run(
        event.streamId,
        JSON.stringify({ ...event.data, revision: event.revision, position: event.position }),
      );
    }
    documents += writes;
    checkpoint.run(options.name, String(batch[batch.length - 1]!.position).padStart(16, '0'));
  });
  const columns = 'SELECT position, stream_id, revision, type, data, metadata FROM events';
  const types = options.types ? [JSON.stringify([...options.types])] : [];
  const rows = source
    .prepare<string[], Row>(
      options.types
        ? `${columns} WHERE type IN (SELECT value FROM json_each(?)) ORDER BY position`
        : `${columns} ORDER BY position`,
    )
    .raw(true);
  // Per event of the log, as the rebuild's rate is: it covers the whole log, whatever it reads.
  const logEvents = source.prepare<[], [number]>('SELECT count(*) FROM events').raw(true).get()![0];
  const memory = startMemorySampler();
  const cpu = process.cpuUsage();
  const started = performance.now();
  let read = 0;
  let batch: ParsedEvent[] = [];
  let batchNumber = 0;
  const flush = () => {
    commit(batch, options.writesPerBatch[batchNumber++] ?? 0);
    batch = [];
    memory.sample();
  };
  for (const [position, streamId, revision, type, data, metadata] of rows.iterate(...types)) {
    batch.push({
      position,
      streamId,
      revision,
      type,
      data: JSON.parse(data),
      metadata: JSON.parse(metadata),
    });
    read += 1;
    if (batch.length >= options.batchSize) flush();
  }
  if (batch.length > 0) flush();
  const seconds = (performance.now() - started) / 1000;
  const { peakRssMb } = memory.stop();
  source.close();
  target.close();
  return {
    events: logEvents,
    read,
    documents,
    perSecond: logEvents / seconds,
    cpuMicrosEach: cpuMicros(cpu) / logEvents,
    peakRssMb,
  };
}

interface ParsedEvent {
  position: number;
  streamId: string;
  revision: number;
  type: string;
  data: Record<string, unknown>;
  metadata: unknown;
}
