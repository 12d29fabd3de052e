import Database from 'better-sqlite3';
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConflictError, StoreError } from '../../errors';
import { product, products, rejectsWith } from '../contract/contract.fixtures';
import type { DocumentStore } from '../port';
import { leasesFileOf, readModelsFile } from './open';
import { openSqliteDocumentStore } from './sqlite-document-store';

describe('SQLite writers and leases while another process holds the write lock', () => {
  let dir: string;
  let stores: DocumentStore[];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'strata-write-lock-'));
    stores = [];
  });
  afterEach(async () => {
    await Promise.all(stores.map((store) => store.close()));
    rmSync(dir, { recursive: true, force: true });
  });
  const open = (busyTimeoutMs = 5000) => {
    const store = openSqliteDocumentStore({ file: readModelsFile(dir), busyTimeoutMs });
    stores.push(store);
    return store;
  };
  const batch = (token: number, id: string) => ({
    writes: [{ collection: 'products', id, doc: product(id.charCodeAt(0)) }],
    fence: { name: 'products', token },
  });

  it('lets a lease be taken while another process holds the read models’ write lock (frozen mid-commit)', async () => {
    // A 50 ms busy timeout: waiting for the lock would fail the take, not merely slow it.
    const taker = open(50);
    expect(leasesFileOf(readModelsFile(dir))).to.equal(join(dir, 'read-models.leases.db'));
    // A worker SIGSTOPped inside a batch's transaction holds exactly this lock.
    const frozen = new Database(readModelsFile(dir));
    frozen.exec('BEGIN IMMEDIATE');
    try {
      const lease = await taker.acquireLease({ name: 'products', owner: 'w2', ttlMs: 1000 });
      expect(lease?.owner).to.equal('w2');
      expect(await taker.leases()).to.have.length(1);
    } finally {
      frozen.exec('ROLLBACK');
      frozen.close();
    }
  });

  it('never commits a token older than one that already committed, whatever the lease file says', async () => {
    const store = open();
    await store.ensureCollection(products);
    await store.acquireLease({ name: 'products', owner: 'w1', ttlMs: 60_000 });
    await store.commitBatch(batch(1, 'a'));
    await store.releaseLease('products', 'w1');
    const taken = await store.acquireLease({ name: 'products', owner: 'w2', ttlMs: 60_000 });
    expect(taken?.token).to.equal(2);
    await store.commitBatch(batch(2, 'b'));
    // The lease file lost its row (as if rolled back to before the takeover): token 1 again.
    await store.releaseLease('products', 'w2');
    await store.dropLease('products', 0);
    expect(
      (await store.acquireLease({ name: 'products', owner: 'w1', ttlMs: 60_000 }))?.token,
    ).to.equal(1);
    const refused = await rejectsWith(store.commitBatch(batch(1, 'c')), ConflictError);
    expect(refused.message).to.include('at token 2, not 1');
    expect(await store.get('products', 'c')).to.equal(null);
  });
  it('waits for the lock without blocking its event loop (the heartbeat), then commits; past the timeout it fails', async () => {
    const store = open(3000);
    await store.ensureCollection(products);
    const other = new Database(readModelsFile(dir));
    other.exec('BEGIN IMMEDIATE');
    let ticks = 0;
    const heartbeat = setInterval(() => ticks++, 10);
    try {
      const commit = store.commitBatch({ writes: batch(1, 'a').writes });
      await sleep(300);
      expect(ticks, 'timer ticks while the commit waited').to.be.at.least(5);
      other.exec('COMMIT');
      await commit;
      expect(await store.get('products', 'a')).to.not.equal(null);
      other.exec('BEGIN IMMEDIATE');
      const impatient = open(100);
      const failed = await rejectsWith(
        impatient.commitBatch({ writes: batch(1, 'b').writes }),
        StoreError,
      );
      expect(failed.message).to.include('database is locked');
    } finally {
      clearInterval(heartbeat);
      if (other.inTransaction) other.exec('ROLLBACK');
      other.close();
    }
  });
});
