import { expect } from 'chai';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { openSqliteDocumentStore } from '../../shared-kernel/document-store/sqlite/sqlite-document-store';
import type { Position } from '../../shared-kernel/events/envelope';
import {
  checkDelivery,
  ownDeliveries,
} from '../../shared-kernel/integration/contract/delivery-check';
import { consumerGroupReader, kcatReader } from '../../test/support/kafka-readers';
import { readConfig } from '../../shared-kernel/config/env';
import { integrationConfig, openIntegrationPublisher } from '../../shared-kernel/integration/open';
import { INTEGRATION_TOPICS, type IntegrationMessage } from '../../shared-kernel/integration/port';
import { eventually } from '../../test/support/eventually';
import type { KafkaCluster } from '../../test/support/kafka-cluster/cluster';
import { kafkaClusterFor } from '../../test/support/kafka-cluster/shared';
import { owedBetween, owedIntegrationMessages } from '../../test/support/mirror-expectations';
import { buildShopHistory, changePrices } from '../../test/support/shop-history';
import { openShopStores, type ShopStores } from '../../test/support/shop-stores';
import type { ShopPlan } from '../../test/support/shop-traffic';
import {
  embeddedWorkerEnv,
  startWorkerProcess,
  workerSettled,
} from '../../test/support/worker-process';
import { kafkaMirrorProcessor } from './kafka-mirror-processor';

const MIRROR = 'kafka-mirror';
const TOPICS = Object.values(INTEGRATION_TOPICS);

describe('Kafka mirror against a real 3-broker Kafka cluster', function () {
  this.timeout(240_000);
  let shop: ShopStores;
  let plan: ShopPlan;
  let cluster: KafkaCluster;

  before(async function () {
    cluster = await kafkaClusterFor(this);
  });
  // A shop of its own per test: the cluster is shared, and each test reads only its own ce_ids.
  beforeEach(async () => {
    shop = openShopStores('strata-mirror-');
    plan = await buildShopHistory(shop, 600, 30);
  });
  afterEach(async () => shop?.close());

  /** Both independent consumers saw every owed message, first copies in order per key. */
  async function expectAllDelivered(brokers: string[], published: IntegrationMessage[]) {
    const awaited = new Set(published.map((m) => m.headers.ce_id));
    const readers = {
      'consumer group': consumerGroupReader(brokers, 15_000),
      kcat: kcatReader(brokers),
    };
    const duplicates: Record<string, number> = {};
    for (const [reader, read] of Object.entries(readers)) {
      const report = checkDelivery(
        published,
        ownDeliveries(published, await read(TOPICS, awaited)),
      );
      const { missing, unexpected, outOfOrder } = report;
      expect({ reader, missing, unexpected, outOfOrder }).to.deep.equal({
        reader,
        missing: [],
        unexpected: [],
        outOfOrder: [],
      });
      duplicates[reader] = report.duplicates;
    }
    return duplicates;
  }

  /** The figures the issue asks for, on one line under the test's name. */
  const figures = (text: string) => process.stdout.write(`      (${text})\n`);

  it('the worker process (KAFKA_BROKERS set) delivers every public event of the log to the three topics', async () => {
    const worker = await startWorkerProcess(
      embeddedWorkerEnv(shop.dataDir, { KAFKA_BROKERS: cluster.brokers.join(',') }),
    );
    const started = Date.now();
    try {
      await changePrices(shop.dispatch, plan.products, 5); // arriving while it mirrors
      await workerSettled(worker, MIRROR, () => shop.events.headPosition(), 30_000);
    } finally {
      expect(await worker.stop()).to.equal(0);
    }
    const mirrorMs = Date.now() - started;
    const owed = await owedIntegrationMessages(shop.events, shop.upcast);
    const published = owed.map((o) => o.message);
    expect(new Set(published.map((m) => m.topic))).to.deep.equal(new Set(TOPICS));
    expect(published.length).to.be.greaterThan(2500);
    const duplicates = await expectAllDelivered(cluster.brokers, published);
    const events = shop.events.eventsBetween?.(null, await shop.events.headPosition());
    figures(
      `${events} events, ${published.length} messages in ${mirrorMs} ms from worker start; ` +
        `duplicates ${JSON.stringify(duplicates)}`,
    );
  });

  it('holds its checkpoint while every broker is paused (SIGSTOP), then delivers everything after SIGCONT', async () => {
    const { brokers } = cluster;
    const documents = openSqliteDocumentStore({
      file: path.join(shop.dataDir, 'mirror-paused.db'),
    });
    const publisher = openIntegrationPublisher(
      {
        ...readConfig({ KAFKA_REQUEST_TIMEOUT_MS: '1000' }, integrationConfig),
        kafkaBrokers: brokers,
        kafkaClientId: 'mirror-spec',
        dataDir: shop.dataDir,
      },
      shop.logger,
    );
    const owed = await owedIntegrationMessages(shop.events, shop.upcast);
    const runner = await shop.startRunner(kafkaMirrorProcessor(publisher), documents);
    const samples: (Position | null)[] = [];
    let pausedAt: Position | null = null;
    try {
      await eventually('a few mirrored batches', () => runner.status().eventsProcessed >= 300);
      cluster.pause();
      try {
        await sleep(300); // a batch acknowledged just before the pause may still commit
        pausedAt = await documents.getCheckpoint(MIRROR);
        for (const until = Date.now() + 5000; Date.now() < until; await sleep(100)) {
          samples.push(await documents.getCheckpoint(MIRROR));
        }
      } finally {
        cluster.resume();
      }
      await shop.settle(runner, 30_000);
    } finally {
      await runner.stop();
      await publisher.close();
      await documents.close();
    }
    expect(pausedAt, 'the mirror had committed before the pause').to.not.equal(null);
    const left = owedBetween(owed, pausedAt, owed.at(-1)?.position ?? null).length;
    expect(left, 'messages still owed at the pause').to.be.greaterThan(0);
    // A checkpoint past an owed message means it committed what the broker never acknowledged.
    const committedUnacked = samples.flatMap((at) => owedBetween(owed, pausedAt, at));
    expect(committedUnacked.map((o) => o.message.headers.ce_id)).to.deep.equal([]);
    expect(runner.status().lastError, 'a publish failed while paused').to.not.equal(null);
    const duplicates = await expectAllDelivered(
      brokers,
      owed.map((o) => o.message),
    );
    figures(
      `${owed.length} messages, ${left} still owed at the pause, ${samples.length} checkpoint ` +
        `samples while paused; duplicates ${JSON.stringify(duplicates)}`,
    );
  });
});
