import { expect } from 'chai';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { checkDelivery } from '../../shared-kernel/integration/contract/delivery-check';
import { INTEGRATION_TOPICS } from '../../shared-kernel/integration/port';
import { skipOrFail } from '../support/availability';
import { eventually } from '../support/eventually';
import {
  kcatInstalled,
  startKafkaMockBroker,
  type KafkaMockBroker,
} from '../support/kafka-mock-broker';
import { consumerGroupReader, kcatReader } from '../support/kafka-readers';
import { owedIntegrationMessages } from '../support/mirror-expectations';
import { buildShopHistory, changePrices } from '../support/shop-history';
import { openShopStores, type ShopStores } from '../support/shop-stores';
import type { ShopPlan } from '../support/shop-traffic';
import {
  embeddedWorkerEnv,
  startWorkerProcess,
  workerSettled,
  type WorkerProcess,
} from '../support/worker-process';
import { figure, knob, stopwatch } from './support/figures';

const SCENARIO = 'kafka-frozen';
const MIRROR = 'kafka-mirror';
const TOPICS = Object.values(INTEGRATION_TOPICS);
/** How long the broker stays frozen once the breaker has opened. */
const FROZEN_MS = knob('FAULT_KAFKA_FROZEN_MS', 6_000);

/** One sample of the kafka breaker's figures from the worker's `/metrics`. */
async function kafkaBreaker(worker: WorkerProcess): Promise<{ state: number; rejected: number }> {
  const text = await (await fetch(`http://127.0.0.1:${worker.port}/metrics`)).text();
  const value = (name: string) =>
    Number(new RegExp(`^${name}\\{dependency="kafka"\\} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  return {
    state: value('strata_circuit_breaker_state'),
    rejected: value('strata_circuit_breaker_rejected_calls_total') || 0,
  };
}

describe('fault: Kafka broker frozen (SIGSTOP) under the mirror: the circuit breaker', function () {
  this.timeout(FROZEN_MS + 150_000);
  let shop: ShopStores;
  let plan: ShopPlan;
  let broker: KafkaMockBroker | undefined;
  let worker: WorkerProcess | undefined;

  before(async function () {
    if (!kcatInstalled()) skipOrFail(this, 'kcat not installed', true);
    shop = openShopStores('strata-kafka-frozen-');
    plan = await buildShopHistory(shop, 300, 20);
    broker = await startKafkaMockBroker();
  });
  after(async () => {
    await worker?.stop();
    await broker?.stop();
    await shop?.close();
  });

  it('opens, the mirror backs off failing fast instead of timing out each publish, then catches up with 0 missing', async () => {
    const elapsed = stopwatch();
    const frozen = broker as KafkaMockBroker;
    worker = await startWorkerProcess(
      embeddedWorkerEnv(shop.dataDir, {
        KAFKA_BROKERS: frozen.brokers.join(','),
        // librdkafka's mock cluster has one broker: it cannot hold the production default of 3 copies.
        KAFKA_TOPIC_REPLICATION_FACTOR: '1',
        KAFKA_TOPIC_MIN_INSYNC_REPLICAS: '1',
        // Nor can it serve InitProducerId, which an idempotent producer needs.
        KAFKA_IDEMPOTENT: 'false',
        KAFKA_REQUEST_TIMEOUT_MS: '1000',
        STRATA_BREAKER_FAILURES: '2',
        STRATA_BREAKER_OPEN_MS: '1000',
      }),
    );
    const running = worker;
    await workerSettled(running, MIRROR, () => shop.events.headPosition(), 60_000);
    expect((await kafkaBreaker(running)).state, 'breaker closed before the fault').to.equal(0);

    frozen.pause();
    const frozenAt = Date.now();
    let openedAt: number;
    let rejectedWhileOpen: number;
    try {
      // Events keep arriving while the broker is frozen: the mirror owes them.
      await changePrices(shop.dispatch, plan.products, 2);
      await eventually(
        'the kafka breaker to open',
        async () => (await kafkaBreaker(running)).state === 2,
        {
          timeoutMs: 60_000,
          intervalMs: 50,
        },
      );
      openedAt = Date.now();
      const checkpointAtOpen = (await running.status(MIRROR)).checkpoint;
      const rejectedAtOpen = (await kafkaBreaker(running)).rejected;
      await sleep(FROZEN_MS);
      rejectedWhileOpen = (await kafkaBreaker(running)).rejected - rejectedAtOpen;
      expect((await running.status(MIRROR)).checkpoint, 'no commit while frozen').to.equal(
        checkpointAtOpen,
      );
    } finally {
      frozen.resume();
    }
    const resumedAt = Date.now();
    await workerSettled(running, MIRROR, () => shop.events.headPosition(), 60_000);
    const caughtUpAt = Date.now();
    const closed = await kafkaBreaker(running);
    expect(await running.stop()).to.equal(0);
    worker = undefined;

    const owed = (await owedIntegrationMessages(shop.events, shop.upcast)).map((o) => o.message);
    const awaited = new Set(owed.map((m) => m.headers.ce_id));
    const readers = {
      'consumer group': consumerGroupReader(frozen.brokers, 15_000),
      kcat: kcatReader(frozen.brokers),
    };
    const missing: Record<string, number> = {};
    const duplicates: Record<string, number> = {};
    for (const [reader, read] of Object.entries(readers)) {
      const report = checkDelivery(owed, await read(TOPICS, awaited));
      expect({ reader, missing: report.missing, outOfOrder: report.outOfOrder }).to.deep.equal({
        reader,
        missing: [],
        outOfOrder: [],
      });
      missing[reader] = report.missing.length;
      duplicates[reader] = report.duplicates;
    }

    figure(SCENARIO, 'load average (1 min)', os.loadavg()[0]!);
    figure(SCENARIO, 'messages owed in all', owed.length);
    figure(SCENARIO, 'time from SIGSTOP to breaker open', openedAt - frozenAt, 'ms');
    figure(SCENARIO, `publishes failed fast while open (${FROZEN_MS} ms)`, rejectedWhileOpen);
    figure(SCENARIO, 'time from SIGCONT to caught up', caughtUpAt - resumedAt, 'ms');
    figure(SCENARIO, 'breaker state after catching up (0 closed)', closed.state);
    figure(SCENARIO, 'missing per reader', JSON.stringify(missing));
    figure(SCENARIO, 'duplicates per reader', JSON.stringify(duplicates));
    figure(SCENARIO, 'runtime', elapsed(), 's');

    // Failing fast: retries meet the open breaker rather than a 3 s publish timeout each.
    expect(rejectedWhileOpen, 'publishes the open breaker failed fast').to.be.greaterThan(0);
    expect(closed.state, 'breaker closed once the broker answered').to.equal(0);
  });
});
