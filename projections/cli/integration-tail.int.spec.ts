import { expect } from 'chai';
import { rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { makeMessages } from '../../shared-kernel/integration/contract/contract.fixtures';
import {
  openOutboxPublisher,
  type OutboxPublisher,
} from '../../shared-kernel/integration/outbox/outbox-publisher';
import type { OutboxRecord } from '../../shared-kernel/integration/outbox/outbox-reader';
import { finished, runStrata, spawnStrata, tempDataDir } from './cli.fixtures';

const TOPICS = ['strata.catalog.v1', 'strata.orders.v1'];
const lines = (stdout: string) =>
  stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as OutboxRecord);

describe('strata integration tail (compiled CLI over the embedded outbox)', function () {
  this.timeout(60_000);
  let dataDir: string;
  let env: Record<string, string>;
  let publisher: OutboxPublisher;
  const messages = makeMessages(TOPICS, 30, 5);

  before(async () => {
    dataDir = tempDataDir();
    env = { STRATA_DATA_DIR: dataDir };
  });
  after(async () => {
    await publisher.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('fails (exit 1) naming the file when nothing was published yet', async () => {
    const run = await runStrata(['integration', 'tail'], env);
    expect(run.code).to.equal(1);
    expect(run.stderr).to.contain('outbox.db does not exist');
  });

  it('prints what the outbox holds, in order, as JSON lines', async () => {
    publisher = openOutboxPublisher({ dataDir });
    await publisher.publish(messages);
    const run = await runStrata(['integration', 'tail'], env);
    expect(run.code, run.stderr).to.equal(0);
    const records = lines(run.stdout);
    expect(records.map((r) => r.ceId)).to.deep.equal(messages.map((m) => m.headers.ce_id));
    expect(records.map((r) => r.value)).to.deep.equal(messages.map((m) => m.value));
    expect(records[0]).to.include({ seq: 1, topic: TOPICS[0], key: messages[0]?.key });
  });

  it('filters by topic, starts after a seq and stops at a limit', async () => {
    const run = await runStrata(
      ['integration', 'tail', '--topic', 'strata.orders.v1', '--after', '10', '--limit', '3'],
      env,
    );
    expect(run.code, run.stderr).to.equal(0);
    expect(lines(run.stdout).map((r) => [r.seq, r.topic])).to.deep.equal([
      [12, 'strata.orders.v1'],
      [14, 'strata.orders.v1'],
      [16, 'strata.orders.v1'],
    ]);
  });

  it('follows new records until Ctrl-C, then exits 0', async () => {
    const child = spawnStrata(['integration', 'tail', '--follow', '--after', '30'], env);
    const done = finished(child);
    const later = makeMessages(TOPICS, 2, 1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await publisher.publish(later);
    const seen: OutboxRecord[] = [];
    for await (const line of createInterface({ input: child.stdout })) {
      seen.push(JSON.parse(line) as OutboxRecord);
      if (seen.length === later.length) break;
    }
    child.kill('SIGINT');
    const run = await done;
    expect(run.code, run.stderr).to.equal(0);
    expect(seen.map((r) => r.ceId)).to.deep.equal(later.map((m) => m.headers.ce_id));
  });

  it('points to a Kafka consumer (exit 2) when KAFKA_BROKERS makes Kafka the target', async () => {
    const run = await runStrata(['integration', 'tail'], {
      ...env,
      KAFKA_BROKERS: 'localhost:9092',
    });
    expect(run.code).to.equal(2);
    expect(run.stderr).to.match(/Kafka.*kcat -b localhost:9092.*kafka-console-consumer/s);
    expect(run.stdout).to.equal('');
  });

  it('refuses a malformed --after as a usage error', async () => {
    const run = await runStrata(['integration', 'tail', '--after', '-1'], env);
    expect(run.code).to.equal(2);
    expect(run.stderr).to.contain('whole number');
  });

  it('refuses a topic Strata does not publish as a usage error naming the topics', async () => {
    const run = await runStrata(['integration', 'tail', '--topic', 'bogus'], env);
    expect(run.code).to.equal(2);
    expect(run.stderr).to.contain('bogus');
    expect(run.stderr).to.contain('strata.catalog.v1, strata.inventory.v1, strata.orders.v1');
    expect(run.stdout).to.equal('');
  });
});
