import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { NotFoundError, StoreError, ValidationError } from '../../errors';
import { makeMessages } from '../contract/contract.fixtures';
import { rejectionOf } from '../contract/integration-publisher.contract';
import { openOutboxPublisher, type OutboxPublisher } from './outbox-publisher';
import { openOutboxReader, tailOutbox, type OutboxRecord } from './outbox-reader';

describe('SQLite outbox: rows, duplicates, reading and tailing', () => {
  let dataDir: string;
  let publisher: OutboxPublisher;
  const at = new Date('2026-03-01T12:00:00.000Z');

  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-outbox-'));
    publisher = openOutboxPublisher({ dataDir, fileName: 'mirror.db', now: () => at });
  });
  afterEach(async () => {
    await publisher.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function collect(iterable: AsyncIterable<OutboxRecord>): Promise<OutboxRecord[]> {
    const records: OutboxRecord[] = [];
    for await (const record of iterable) records.push(record);
    return records;
  }

  it('stores each message as a row in its own file, and a repeated ce_id once, counted', async () => {
    const messages = makeMessages(['strata.orders.v1'], 4, 2);
    await publisher.publish(messages.slice(0, 3));
    const changed = { ...messages[1]!, value: { changed: true } };
    await publisher.publish([changed, messages[3]!, messages[3]!]);
    expect(publisher.file).to.equal(path.join(dataDir, 'mirror.db'));
    expect(publisher.stats()).to.deep.equal({ stored: 4, duplicatesIgnored: 2 });
    const rows = await collect(tailOutbox({ dataDir, fileName: 'mirror.db' }));
    // Increasing, not gapless: SQLite may burn a seq on an ignored insert.
    const seqs = rows.map((r) => r.seq);
    expect(seqs)
      .to.deep.equal([...seqs].sort((a, b) => a - b))
      .and.have.length(4);
    expect(rows.map((r) => r.ceId)).to.deep.equal(messages.map((m) => m.headers.ce_id));
    expect(rows[1]!.value).to.deep.equal(messages[1]!.value); // the first copy stays
    expect(rows[0]).to.deep.include({
      topic: 'strata.orders.v1',
      key: messages[0]!.key,
      type: 'strata.test.SomethingHappened.v1',
      createdAt: at.toISOString(),
    });
    expect(rows[0]!.headers).to.deep.equal(messages[0]!.headers);
  });

  it('reads pages after a seq, optionally of one topic, and checks its arguments', async () => {
    await publisher.publish(makeMessages(['a', 'b'], 10, 3));
    const reader = openOutboxReader({ dataDir, fileName: 'mirror.db' });
    try {
      expect(reader.readOutbox({ after: 3, limit: 4 }).map((r) => r.seq)).to.deep.equal([
        4, 5, 6, 7,
      ]);
      const ofB = reader.readOutbox({ topic: 'b', after: 4, limit: 100 });
      expect(ofB.map((r) => r.seq)).to.deep.equal([6, 8, 10]);
      expect(() => reader.readOutbox({ limit: 0 })).to.throw(ValidationError, 'limit');
      expect(() => reader.readOutbox({ after: -1, limit: 5 })).to.throw(ValidationError, 'after');
    } finally {
      reader.close();
    }
  });

  it('follows new rows as they are committed until aborted', async () => {
    const messages = makeMessages(['a'], 6, 2);
    await publisher.publish(messages.slice(0, 2));
    const abort = new AbortController();
    const seen: string[] = [];
    const following = (async () => {
      for await (const record of tailOutbox({
        dataDir,
        fileName: 'mirror.db',
        follow: true,
        after: 1,
        pollIntervalMs: 20,
        pageSize: 2,
        signal: abort.signal,
      })) {
        seen.push(record.ceId);
        if (seen.length === 5) abort.abort();
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 100));
    await publisher.publish(messages.slice(2));
    await following;
    expect(seen).to.deep.equal(messages.slice(1).map((m) => m.headers.ce_id));
  });

  it('names the file when it is missing or cannot be created', async () => {
    expect(() => openOutboxReader({ dataDir, fileName: 'absent.db' }))
      .to.throw(NotFoundError)
      .with.property('message')
      .that.contains(path.join(dataDir, 'absent.db'));
    const blocker = path.join(dataDir, 'not-a-dir');
    fs.writeFileSync(blocker, 'x');
    expect(() => openOutboxPublisher({ dataDir: blocker }))
      .to.throw(StoreError)
      .with.property('message')
      .that.contains(path.join(blocker, 'outbox.db'));
    await publisher.close();
    expect(await rejectionOf(publisher.ping())).to.be.instanceOf(StoreError);
  });
});
