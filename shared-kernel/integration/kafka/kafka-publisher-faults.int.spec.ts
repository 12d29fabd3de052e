import { expect } from 'chai';
import { UnavailableError } from '../../errors';
import { skipOrFail } from '../../../test/support/availability';
import { freePort } from '../../../test/support/redis-server';
import {
  kcatInstalled,
  readTopicWithKcat,
  startKafkaMockBroker,
  type KafkaMockBroker,
} from '../../../test/support/kafka-mock-broker';
import { rejectionOf } from '../contract/publisher-contract';
import { makeMessages } from '../contract/test-messages';
import { INTEGRATION_TOPICS, type IntegrationPublisher } from '../port';
import { createKafkaPublisher } from './kafka-publisher';

/** Kafka-only promises: bounded failures, one partition per key, the public topics. */
describe('Kafka publisher against the mock broker: partitions, topics, bounded failures', function () {
  this.timeout(60_000);
  let broker: KafkaMockBroker;
  let publisher: IntegrationPublisher;
  const timeouts = { requestTimeoutMs: 1000, connectionTimeoutMs: 500, retries: 1 };
  const boundMs = 2 * timeouts.requestTimeoutMs + 2000;

  before(async function () {
    if (!kcatInstalled()) skipOrFail(this, 'kcat not installed', true);
    broker = await startKafkaMockBroker();
    publisher = createKafkaPublisher({ brokers: broker.brokers, ...timeouts });
  });
  after(async () => {
    await publisher?.close();
    await broker?.stop();
  });

  it('sends every message of a key to one partition, spreading keys over several', async () => {
    const topic = 'strata.test.partitions';
    await publisher.publish(makeMessages([topic], 400, 40));
    const partitionsOfKey = new Map<string, Set<number>>();
    for (const record of await readTopicWithKcat(broker.brokers, topic)) {
      const key = record.key ?? '';
      partitionsOfKey.set(key, (partitionsOfKey.get(key) ?? new Set()).add(record.partition));
    }
    expect(partitionsOfKey.size).to.equal(40);
    expect([...partitionsOfKey.values()].every((set) => set.size === 1)).to.equal(true);
    const used = new Set([...partitionsOfKey.values()].flatMap((set) => [...set]));
    expect(used.size).to.be.greaterThan(1);
  });

  it('publishes to the three public topics', async () => {
    const topics = Object.values(INTEGRATION_TOPICS);
    const messages = makeMessages(topics, 3, 1);
    await publisher.publish(messages);
    for (const [index, topic] of topics.entries()) {
      const records = await readTopicWithKcat(broker.brokers, topic);
      expect(records.map((r) => JSON.parse(r.payload ?? '')).at(-1)).to.deep.equal(
        messages[index]!.value,
      );
    }
  });

  it('rejects ping and publish within the bound while paused, and recovers on resume', async () => {
    broker.pause();
    try {
      for (const attempt of [publisher.ping(), publisher.publish(makeMessages(['t.p'], 5, 2))]) {
        const started = Date.now();
        const error = await rejectionOf(attempt);
        expect(error).to.be.instanceOf(UnavailableError);
        expect((error as Error).message).to.contain(broker.brokers[0]);
        expect(Date.now() - started).to.be.at.most(boundMs);
      }
    } finally {
      broker.resume();
    }
    await publisher.ping();
  });

  it('rejects, bounded, when no broker listens, and keeps trying to connect on later calls', async () => {
    const nowhere = createKafkaPublisher({
      brokers: [`127.0.0.1:${await freePort()}`],
      ...timeouts,
    });
    try {
      for (let attempt = 0; attempt < 2; attempt++) {
        const started = Date.now();
        const error = await rejectionOf(nowhere.publish(makeMessages(['t.n'], 1, 1)));
        expect(error).to.be.instanceOf(UnavailableError);
        expect(Date.now() - started).to.be.at.most(boundMs);
      }
    } finally {
      await nowhere.close();
    }
  });
});
