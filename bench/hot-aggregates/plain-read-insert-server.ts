/**
 * The raw baseline of the hot-aggregates benchmark: a plain Express process answering the same
 * request shape as the command API (`POST /inventory/:sku/adjustments`) with one indexed read of
 * the stream's last revision and one insert, in the event store's own file and table (so the
 * index is as deep as the history), durable as the store is (WAL, synchronous=FULL). No
 * validation, no domain. Env: BENCH_DATA_DIR (required).
 */
import Database from 'better-sqlite3';
import express from 'express';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';

const dir = process.env.BENCH_DATA_DIR;
if (!dir) throw new Error('BENCH_DATA_DIR is required');
const db = new Database(path.join(dir, 'events.db'));
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
const lastRevision = db
  .prepare<[string], number | null>('SELECT max(revision) FROM events WHERE stream_id = ?')
  .pluck();
const insert = db.prepare(
  `INSERT INTO events (stream_id, revision, event_id, type, data, metadata, recorded_at)
   VALUES (?, ?, ?, 'BaselineWrite', ?, '{}', ?)`,
);
const write = db.transaction((streamId: string, body: unknown) => {
  const revision = (lastRevision.get(streamId) ?? -1) + 1;
  insert.run(streamId, revision, randomUUID(), JSON.stringify(body), new Date().toISOString());
  return revision;
});

const app = express();
app.use(express.json({ limit: 65_536 }));
app.post('/inventory/:sku/adjustments', (request, response) => {
  const revision = write(`baseline-${request.params.sku}`, request.body);
  response.status(201).json({ streamRevision: revision });
});
const server = app.listen(0, () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ message: 'plain read+insert listening', port })}\n`);
});
process.once('SIGTERM', () => {
  server.close(() => db.close());
  server.closeIdleConnections();
});
