import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import {
  collect,
  eventsOf,
  newEvents,
  pullUntil,
  uniqueStreamId,
} from '../contract/contract.fixtures';
import { openSqliteEventStore, type SqliteEventStore } from './sqlite-event-store';
import { childEnv } from '../../config/child-env';

/** Runs a second Node process that appends `count` single-event appends to the same file. */
function appendFromAnotherProcess(dataDir: string, streamId: string, count: number): Promise<void> {
  const script = `
    const { openSqliteEventStore } = require(${JSON.stringify(path.join(__dirname, 'index.js'))});
    const { newEvents } = require(${JSON.stringify(path.join(__dirname, '..', 'contract', 'contract.fixtures.js'))});
    (async () => {
      const store = openSqliteEventStore({ dataDir: ${JSON.stringify(dataDir)} });
      for (let i = 0; i < ${count}; i++) await store.append(${JSON.stringify(streamId)}, newEvents(1), 'any');
      await store.close();
    })().catch((error) => { console.error(error); process.exit(1); });`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script], {
      env: childEnv(process.env),
      stdio: ['ignore', 'inherit', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`child exited with ${code}: ${stderr}`)),
    );
  });
}

describe('SQLite event store: two processes on one file', function () {
  this.timeout(30_000);
  let dataDir: string;
  let store: SqliteEventStore;

  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-events-xproc-'));
    store = openSqliteEventStore({ dataDir });
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("a live subscription here sees the other process's appends, in order, without duplicates", async () => {
    const theirs = uniqueStreamId('child');
    const subscription = store.subscribeToAll({ after: await store.headPosition() });
    try {
      await pullUntil(subscription, (m) => m.some((message) => message.kind === 'caught-up'));
      const child = appendFromAnotherProcess(dataDir, theirs, 50);
      const received = await pullUntil(
        subscription,
        (m) => eventsOf(m, new Set([theirs])).length >= 50,
        20_000,
      );
      await child;
      const revisions = eventsOf(received, new Set([theirs])).map((event) => event.revision);
      expect(revisions).to.deep.equal(Array.from({ length: 50 }, (_, i) => i));
    } finally {
      await subscription.close();
    }
  });

  it('both processes appending at once: every append stored once, positions unique', async () => {
    const theirs = uniqueStreamId('child');
    const ours = uniqueStreamId('parent');
    const child = appendFromAnotherProcess(dataDir, theirs, 200);
    for (let i = 0; i < 200; i += 1) await store.append(ours, newEvents(1), 'any');
    await child;
    const all = await collect(store.readAll());
    expect(all.filter((event) => event.streamId === theirs)).to.have.length(200);
    expect(all.filter((event) => event.streamId === ours)).to.have.length(200);
    const positions = all.map((event) => Number.parseInt(event.position, 16));
    expect(positions).to.deep.equal(positions.map((_, i) => i + 1));
  });
});
