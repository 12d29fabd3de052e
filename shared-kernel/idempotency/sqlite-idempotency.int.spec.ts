import Database from 'better-sqlite3';
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UnavailableError } from '../errors';
import { describeIdempotencyStoreContract } from './idempotency.contract';
import { idempotencyFile, openSqliteIdempotencyStore } from './sqlite';

const DAY = 24 * 3600_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('IdempotencyStore contract: SQLite file under the data dir', () => {
  const dirs: string[] = [];
  const freshDir = () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'strata-idem-'));
    dirs.push(dir);
    return dir;
  };
  after(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  describeIdempotencyStoreContract(async () => {
    const dataDir = freshDir();
    return { store: async () => openSqliteIdempotencyStore({ dataDir }) };
  });

  it('keeps a record for its whole TTL however many other keys arrive (no eviction by count)', async () => {
    let now = 1_000_000;
    const dataDir = freshDir();
    const store = openSqliteIdempotencyStore({ dataDir, now: () => now, sweepEveryMs: 20 });
    try {
      await store.claim('first', 'claim', 1000);
      await store.complete('first', 'answer', DAY);
      // The in-process LRU this replaces forgot a key after 100,000 others. These arrive as
      // other processes' keys would, in one transaction (one fsync each would take minutes).
      const db = new Database(idempotencyFile({ dataDir }));
      const insert = db.prepare('INSERT INTO idempotency VALUES (?, ?, ?)');
      db.transaction(() => {
        for (let i = 0; i < 120_000; i += 1) insert.run(`other-${i}`, 'a', now + DAY);
      })();
      db.close();
      await sleep(100); // a few sweeps
      now += DAY - 1;
      expect(await store.claim('first', 'late', 1000)).to.equal('answer');
      expect(await store.claim('other-0', 'late', 1000)).to.equal('a');
      now += 1;
      expect(await store.claim('first', 'later', 1000)).to.equal(null);
    } finally {
      await store.close();
    }
  });

  it('sweeps expired records out of the file', async () => {
    let now = 0;
    const dataDir = freshDir();
    const store = openSqliteIdempotencyStore({ dataDir, now: () => now, sweepEveryMs: 20 });
    try {
      await store.complete('k', 'a', 1000);
      const writer = new Database(idempotencyFile({ dataDir }));
      const insert = writer.prepare('INSERT INTO idempotency VALUES (?, ?, ?)');
      writer.transaction(() => {
        for (let i = 0; i < 2500; i += 1) insert.run(`k-${i}`, 'a', 1000);
      })();
      writer.close();
      now = 1000;
      await sleep(100);
      const db = new Database(idempotencyFile({ dataDir }), { readonly: true });
      try {
        expect(db.prepare('SELECT count(*) AS n FROM idempotency').get()).to.deep.equal({ n: 0 });
      } finally {
        db.close();
      }
    } finally {
      await store.close();
    }
  });

  it('a closed store answers UnavailableError', async () => {
    const store = openSqliteIdempotencyStore({ dataDir: freshDir() });
    await store.close();
    let failure: unknown;
    await store.claim('k', 'v', 1000).catch((error: unknown) => (failure = error));
    expect(failure).to.be.instanceOf(UnavailableError);
  });
});
