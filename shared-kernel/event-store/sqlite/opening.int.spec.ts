import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { StoreError } from '../../errors';
import { caught, collect, newEvents } from '../contract/contract.fixtures';
import { openSqliteEventStore } from './sqlite-event-store';

describe('SQLite event store: opening', () => {
  let root: string;
  beforeEach(() => (root = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-events-open-'))));
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('creates the data directory, the schema and its version', async () => {
    const dataDir = path.join(root, 'nested', 'data');
    const store = openSqliteEventStore({ dataDir, fileName: 'log.db' });
    await store.append('s-1', newEvents(1), 'no_stream');
    await store.close();
    const db = new Database(path.join(dataDir, 'log.db'), { readonly: true });
    try {
      expect(db.pragma('user_version', { simple: true })).to.equal(3);
      expect(db.pragma('journal_mode', { simple: true })).to.equal('wal');
    } finally {
      db.close();
    }
  });

  it('upgrades a version-2 file: events kept, its WITHOUT ROWID snapshots dropped for a rowid table', async () => {
    const file = path.join(root, 'events.db');
    const store = openSqliteEventStore({ dataDir: root });
    await store.append('s-1', newEvents(2), 'no_stream');
    await store.close();
    // The file as version 2 left it: its snapshots keyed WITHOUT ROWID, one snapshot stored.
    const old = new Database(file);
    old.exec(`DROP TABLE snapshots;
      CREATE TABLE snapshots (stream_id TEXT PRIMARY KEY, revision INTEGER NOT NULL,
        position INTEGER NOT NULL, version TEXT NOT NULL, state TEXT NOT NULL) WITHOUT ROWID;
      INSERT INTO snapshots VALUES ('s-1', 1, 2, 'v1', '{}');`);
    old.pragma('user_version = 2');
    old.close();
    const upgraded = openSqliteEventStore({ dataDir: root });
    try {
      expect(await collect(upgraded.readStream('s-1'))).to.have.length(2);
      expect(await upgraded.readSnapshot('s-1', 'v1')).to.equal(null);
    } finally {
      await upgraded.close();
    }
    const db = new Database(file, { readonly: true });
    try {
      expect(db.pragma('user_version', { simple: true })).to.equal(3);
      const sql = db.prepare("SELECT sql FROM sqlite_master WHERE name = 'snapshots'").pluck();
      expect(sql.get())
        .to.be.a('string')
        .and.not.match(/WITHOUT ROWID/i);
    } finally {
      db.close();
    }
  });

  it('a data directory that cannot be written is a StoreError naming it', async () => {
    // Below a regular file: unwritable even for root, unlike a chmod'ed directory.
    const blocker = path.join(root, 'a-file');
    fs.writeFileSync(blocker, 'not a directory');
    const dataDir = path.join(blocker, 'data');
    const error = await caught(() => openSqliteEventStore({ dataDir }));
    expect(error).to.be.instanceOf(StoreError);
    expect((error as Error).message)
      .to.contain(dataDir)
      .and.to.contain('cannot be written');
  });

  it('a corrupt file is a StoreError naming the file, and is left untouched', async () => {
    const file = path.join(root, 'events.db');
    const garbage = Buffer.alloc(8192, 'this is not an SQLite database. ');
    fs.writeFileSync(file, garbage);
    const error = await caught(() => openSqliteEventStore({ dataDir: root }));
    expect(error).to.be.instanceOf(StoreError);
    expect((error as Error).message)
      .to.contain(file)
      .and.to.match(/not a database/);
    expect(fs.readFileSync(file).equals(garbage)).to.equal(true);
  });

  it('a file locked by another connection is a StoreError once the busy timeout passes', async () => {
    const file = path.join(root, 'events.db');
    const holder = new Database(file);
    holder.pragma('locking_mode = EXCLUSIVE');
    holder.exec('BEGIN EXCLUSIVE; CREATE TABLE squatter (x); ');
    try {
      const started = Date.now();
      const error = await caught(() => openSqliteEventStore({ dataDir: root, busyTimeoutMs: 200 }));
      expect(error).to.be.instanceOf(StoreError);
      expect((error as Error).message)
        .to.contain(file)
        .and.to.match(/locked|busy/i);
      expect(Date.now() - started).to.be.at.least(150);
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
  });

  it('a file from a newer schema version is refused, not altered', async () => {
    const file = path.join(root, 'events.db');
    const db = new Database(file);
    db.pragma('user_version = 99');
    db.close();
    const error = await caught(() => openSqliteEventStore({ dataDir: root }));
    expect(error).to.be.instanceOf(StoreError);
    expect((error as Error).message)
      .to.contain(file)
      .and.to.contain('schema version 99');
  });

  it('a closed store refuses further use with a StoreError, also mid-read', async () => {
    const store = openSqliteEventStore({ dataDir: root, pageSize: 2 });
    await store.append('s-1', newEvents(5), 'no_stream');
    const iterator = store.readAll()[Symbol.asyncIterator]();
    await iterator.next();
    await iterator.next();
    await store.close();
    expect(await caught(() => iterator.next())).to.be.instanceOf(StoreError);
    expect(await caught(() => store.append('s-1', newEvents(1), 'any'))).to.be.instanceOf(
      StoreError,
    );
    expect(await caught(() => collect(store.readAll()))).to.be.instanceOf(StoreError);
  });
});
