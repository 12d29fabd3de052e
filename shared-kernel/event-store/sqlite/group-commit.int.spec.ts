import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import Database from 'better-sqlite3';
import { ConcurrencyError, UnavailableError } from '../../errors';
import { collect, newEvents, uniqueStreamId } from '../contract/contract.fixtures';
import { openSqliteEventStore, type SqliteEventStore } from './sqlite-event-store';

describe('SQLite event store: group commit', () => {
  let dataDir: string;
  let store: SqliteEventStore;

  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-events-group-'));
    store = openSqliteEventStore({ dataDir });
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('64 concurrent appends share one transaction', async () => {
    const before = store.commitCounters();
    const streams = Array.from({ length: 64 }, () => uniqueStreamId('group'));
    const results = await Promise.all(
      streams.map((s) => store.append(s, newEvents(2), 'no_stream')),
    );
    const after = store.commitCounters();
    expect(after.commits - before.commits).to.equal(1);
    expect(after.largestGroup).to.equal(64);
    expect(new Set(results.map((r) => r.position)).size).to.equal(64);
    expect(await collect(store.readAll())).to.have.length(128);
  });

  it('appends made while a group is being committed form the next group, not 64 commits', async () => {
    const streamId = uniqueStreamId('group');
    const before = store.commitCounters().commits;
    // 64 writers each appending 10 times, one after another: groups of 64, about 10 commits.
    await Promise.all(
      Array.from({ length: 64 }, async () => {
        for (let i = 0; i < 10; i += 1) await store.append(streamId, newEvents(1), 'any');
      }),
    );
    expect(store.commitCounters().commits - before).to.be.at.most(20);
    const revisions = (await collect(store.readStream(streamId))).map((e) => e.revision);
    expect(revisions).to.deep.equal(Array.from({ length: 640 }, (_, i) => i));
  });

  it('a failing append in a group fails alone; the others commit', async () => {
    const existing = uniqueStreamId('group');
    await store.append(existing, newEvents(1), 'no_stream');
    const fresh = [uniqueStreamId('group'), uniqueStreamId('group')];
    const before = store.commitCounters().commits;
    const [first, conflicting, multi, last] = await Promise.allSettled([
      store.append(fresh[0]!, newEvents(1), 'no_stream'),
      store.append(existing, newEvents(3), 5),
      store.append(existing, newEvents(3), 0),
      store.append(fresh[1]!, newEvents(2), 'no_stream'),
    ]);
    expect(store.commitCounters().commits - before).to.equal(1);
    expect(first.status).to.equal('fulfilled');
    expect(last.status).to.equal('fulfilled');
    expect(multi.status).to.equal('fulfilled');
    expect(conflicting.status === 'rejected' && conflicting.reason).to.be.instanceOf(
      ConcurrencyError,
    );
    expect(await collect(store.readStream(existing))).to.have.length(4);
    expect(await collect(store.readStream(fresh[1]!))).to.have.length(2);
  });

  it('close() commits appends still queued instead of dropping them', async () => {
    const streamId = uniqueStreamId('group');
    const pending = store.append(streamId, newEvents(3), 'no_stream');
    await store.close();
    expect((await pending).streamRevision).to.equal(2);
    store = openSqliteEventStore({ dataDir });
    expect(await collect(store.readStream(streamId))).to.have.length(3);
  });

  it('a group that cannot get the write lock in time fails whole, with UnavailableError', async () => {
    await store.close();
    store = openSqliteEventStore({ dataDir, busyTimeoutMs: 100 });
    const other = new Database(store.file);
    other.exec('BEGIN IMMEDIATE');
    try {
      const outcomes = await Promise.allSettled([
        store.append(uniqueStreamId('locked'), newEvents(2), 'no_stream'),
        store.append(uniqueStreamId('locked'), newEvents(1), 'any'),
      ]);
      for (const outcome of outcomes) {
        expect(outcome.status).to.equal('rejected');
        const reason = (outcome as PromiseRejectedResult).reason as Error;
        expect(reason).to.be.instanceOf(UnavailableError);
        expect(reason.message).to.contain(store.file);
      }
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect(await collect(store.readAll())).to.deep.equal([]);
    await store.append(uniqueStreamId('unlocked'), newEvents(1), 'no_stream');
    expect(await collect(store.readAll())).to.have.length(1);
  });
});
