/**
 * The baseline of the commands benchmark: a plain Express process whose one route does one
 * prepared better-sqlite3 insert per request, with the durability of the event store (WAL,
 * synchronous=FULL, a transaction per request). No validation, no reads, no domain: what an
 * HTTP write costs at the bottom. Env: BENCH_DATA_DIR (required), BENCH_PORT (default 0).
 */
import Database from 'better-sqlite3';
import express from 'express';
import path from 'node:path';
import type { AddressInfo } from 'node:net';

const dir = process.env.BENCH_DATA_DIR;
if (!dir) throw new Error('BENCH_DATA_DIR is required');
const db = new Database(path.join(dir, 'plain.db'));
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.exec('CREATE TABLE IF NOT EXISTS writes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
const insert = db.prepare('INSERT INTO writes (body) VALUES (?)');

const app = express();
app.use(express.json({ limit: 65_536 }));
app.post('/writes', (request, response) => {
  const { lastInsertRowid } = insert.run(JSON.stringify(request.body));
  response.status(200).json({ id: Number(lastInsertRowid) });
});
const server = app.listen(Number(process.env.BENCH_PORT ?? 0), () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ message: 'plain insert server listening', port })}\n`);
});
process.once('SIGTERM', () => {
  server.close(() => db.close());
  server.closeIdleConnections();
});
