import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { ConfigResourceTypes, Kafka, logLevel } from 'kafkajs';
import { UnavailableError } from '../../errors';
import { newId } from '../../ids';
import { freePort } from '../../../test/support/redis-server';
import { readTopicWithKcat } from '../../../test/support/kafka-mock-broker';
import { SASL_USER, type KafkaCluster } from '../../../test/support/kafka-cluster/cluster';
import { kafkaClusterFor } from '../../../test/support/kafka-cluster/shared';
import { checkDelivery, ownDeliveries } from '../contract/delivery-check';
import { rejectionOf } from '../contract/integration-publisher.contract';
import { makeMessages } from '../contract/contract.fixtures';
import { INTEGRATION_TOPICS, type IntegrationPublisher } from '../port';
import { publishBoundMs, type SaslMechanism } from './kafka-connection';
import { openKafkaPublisher } from './kafka-publisher';
import { kcatReader } from '../../../test/support/kafka-readers';

/** Kafka-only promises, on a real cluster: partitions, topic settings, TLS and SASL, bounds. */
describe('Kafka publisher on a real 3-broker cluster: partitions, replication, TLS/SASL, bounded failures', function () {
  this.timeout(120_000);
  let cluster: KafkaCluster;
  /** Default timeouts, for what must work on a loaded machine (a cold cluster's first topics). */
  let publisher: IntegrationPublisher;
  /** Short timeouts, for the bounds of failing calls. */
  let impatient: IntegrationPublisher;
  const timeouts = { requestTimeoutMs: 1000, connectionTimeoutMs: 500, retries: 1 };
  // The publisher's own bound, plus room for a busy event loop on a loaded machine: the bound is
  // enforced by the publisher's timer, not by how fast kafkajs's retries happen to run.
  const boundMs =
    publishBoundMs(timeouts.requestTimeoutMs, { retries: 1, maxRetryTime: 1000 }) + 2000;
  const run = newId().slice(-8);

  before(async function () {
    cluster = await kafkaClusterFor(this);
    publisher = openKafkaPublisher({ brokers: cluster.brokers });
    impatient = openKafkaPublisher({ brokers: cluster.brokers, ...timeouts });
  });
  after(async () => Promise.all([publisher?.close(), impatient?.close()]));

  const admin = async () => {
    const client = new Kafka({ brokers: cluster.brokers, logLevel: logLevel.NOTHING }).admin();
    await client.connect();
    return client;
  };

  it('sends every message of a key to one partition, spreading keys over several', async () => {
    const topic = `strata.test.${run}.partitions`;
    await publisher.publish(makeMessages([topic], 400, 40));
    const partitionsOfKey = new Map<string, Set<number>>();
    for (const record of await readTopicWithKcat(cluster.brokers, topic)) {
      const key = record.key ?? '';
      partitionsOfKey.set(key, (partitionsOfKey.get(key) ?? new Set()).add(record.partition));
    }
    expect(partitionsOfKey.size).to.equal(40);
    expect([...partitionsOfKey.values()].every((set) => set.size === 1)).to.equal(true);
    const used = new Set([...partitionsOfKey.values()].flatMap((set) => [...set]));
    expect(used.size).to.be.greaterThan(1);
  });

  it('creates the three public topics with 3 replicas and min.insync.replicas=2, and publishes there', async () => {
    const topics = Object.values(INTEGRATION_TOPICS);
    const messages = makeMessages(topics, 30, 3);
    await publisher.publish(messages);
    const report = checkDelivery(
      messages,
      ownDeliveries(messages, await kcatReader(cluster.brokers)(topics, new Set())),
    );
    expect(report.missing).to.deep.equal([]);
    const client = await admin();
    try {
      const metadata = await client.fetchTopicMetadata({ topics });
      for (const topic of metadata.topics) {
        expect(topic.partitions, topic.name).to.have.length(3);
        expect(
          topic.partitions.map((p) => p.replicas.length),
          topic.name,
        ).to.deep.equal([3, 3, 3]);
      }
      const configs = await client.describeConfigs({
        resources: topics.map((name) => ({
          type: ConfigResourceTypes.TOPIC,
          name,
          configNames: ['min.insync.replicas'],
        })),
        includeSynonyms: false,
      });
      const values = configs.resources.map((r) => r.configEntries[0]?.configValue);
      expect(values).to.deep.equal(['2', '2', '2']);
    } finally {
      await client.disconnect();
    }
  });

  it('a replication factor the cluster cannot meet fails as unavailable, naming the variable', async () => {
    const tooMany = openKafkaPublisher({
      brokers: cluster.brokers,
      ...timeouts,
      topics: [`strata.test.${run}.replicas`],
      topicSettings: { replicationFactor: 5, minInsyncReplicas: 2 },
    });
    try {
      const error = await rejectionOf(tooMany.ping());
      expect(error).to.be.instanceOf(UnavailableError);
      expect((error as Error).message)
        .to.contain('KAFKA_TOPIC_REPLICATION_FACTOR')
        .and.contain('INVALID_REPLICATION_FACTOR');
    } finally {
      await tooMany.close();
    }
  });

  for (const mechanism of ['plain', 'scram-sha-256', 'scram-sha-512'] as SaslMechanism[]) {
    it(`publishes over TLS (the brokers' CA) with SASL ${mechanism}`, async () => {
      const topic = `strata.test.${run}.${mechanism}`;
      const secure = openKafkaPublisher({
        brokers: cluster.secureBrokers,
        ...timeouts,
        requestTimeoutMs: 5000,
        topics: [topic],
        security: {
          tls: { ca: readFileSync(cluster.caFile, 'utf8') },
          sasl: { mechanism, ...SASL_USER },
        },
      });
      try {
        const messages = makeMessages([topic], 20, 4);
        await secure.publish(messages);
        const delivered = await kcatReader(cluster.brokers)([topic], new Set());
        expect(checkDelivery(messages, delivered).missing).to.deep.equal([]);
      } finally {
        await secure.close();
      }
    });
  }

  it('refuses a wrong SASL password or an untrusted certificate, never echoing the password', async () => {
    const ca = readFileSync(cluster.caFile, 'utf8');
    const attempts = {
      'wrong password': {
        tls: { ca },
        sasl: {
          mechanism: 'scram-sha-256' as const,
          username: SASL_USER.username,
          password: 'not-the-secret-9f3',
        },
      },
      'no CA given': { tls: {}, sasl: { mechanism: 'plain' as const, ...SASL_USER } },
    };
    for (const [label, security] of Object.entries(attempts)) {
      const refused = openKafkaPublisher({
        brokers: cluster.secureBrokers,
        ...timeouts,
        security,
      });
      try {
        const error = await rejectionOf(refused.publish(makeMessages([`t.${run}.sasl`], 1, 1)));
        expect(error, label).to.be.instanceOf(UnavailableError);
        expect((error as Error).message, label)
          .to.not.contain('not-the-secret-9f3')
          .and.not.contain(SASL_USER.password);
      } finally {
        await refused.close();
      }
    }
  });

  it('rejects ping and publish within the bound while every broker is paused, and recovers on resume', async () => {
    const topic = `t.${run}.p`;
    // Connected, its topic known: while paused, each call is one bounded stage.
    await impatient.publish(makeMessages([topic], 1, 1));
    cluster.pause();
    try {
      for (const attempt of [
        () => impatient.ping(),
        () => impatient.publish(makeMessages([topic], 5, 2)),
      ]) {
        const started = Date.now();
        const error = await rejectionOf(attempt());
        expect(error).to.be.instanceOf(UnavailableError);
        expect((error as Error).message).to.contain(cluster.brokers[0]);
        expect(Date.now() - started).to.be.at.most(boundMs);
      }
    } finally {
      cluster.resume();
    }
    await impatient.ping();
    await impatient.publish(makeMessages([topic], 5, 2));
  });

  it('rejects, bounded, when no broker listens, and keeps trying to connect on later calls', async () => {
    const nowhere = openKafkaPublisher({
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
