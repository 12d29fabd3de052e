import { expect } from 'chai';
import { setTimeout as sleep } from 'node:timers/promises';
import { checkDelivery } from '../../shared-kernel/integration/contract/delivery-check';
import { checkFulfillment, fulfillmentProblems } from '../support/fulfillment-check';
import { owedIntegrationMessages, readOutboxDeliveries } from '../support/mirror-expectations';
import { openShopStores, type ShopStores } from '../support/shop-stores';
import {
  embeddedWorkerEnv,
  startWorkerProcess,
  workerSettled,
  type WorkerProcess,
} from '../support/worker-process';
import { buildBigShop } from './support/big-shop';
import { figure, knob, stopwatch } from './support/figures';
import { startHttpShopTraffic } from './support/http-shop-traffic';
import { outboxRedeliveries } from './support/outbox-facts';
import { embeddedEnv, startCommandApi, type HttpService } from './support/processes';
import { compareReadModelsWithRebuilds, expectEqualToRebuilds } from './support/rebuild-reference';

const SCENARIO = 'projector-killed';
const EVENTS = knob('FAULT_EVENTS', 100_000, 20_000);
const KILLS = knob('FAULT_KILLS', 10);
const BATCH_SIZE = 500;

describe('fault: the projection worker SIGKILLed while it works', function () {
  this.timeout(1_800_000);
  let shop: ShopStores;
  let api: HttpService | undefined;
  let worker: WorkerProcess | undefined;

  let traffic: ReturnType<typeof startHttpShopTraffic> | undefined;

  after(async () => {
    // A failure mid-scenario leaves the traffic running: stopped first, or mocha never exits.
    await traffic?.stop();
    await api?.stop();
    await worker?.stop();
    await shop?.close();
  });

  it(`${EVENTS} events, ${KILLS} kills under HTTP traffic: read models equal rebuilds, one outcome per order, every public event in the outbox`, async () => {
    const total = stopwatch();
    shop = openShopStores('strata-fault-killed-');
    const { plan, undecided } = await buildBigShop(shop, EVENTS);
    const historyEvents = shop.events.eventsBetween?.(null, await shop.events.headPosition()) ?? 0;
    figure(
      SCENARIO,
      'history put in in-process',
      `${historyEvents} events, ${plan.orders.length} orders (${undecided.length} for the worker's saga) in ${total().toFixed(1)} s`,
    );

    const workerEnv = embeddedWorkerEnv(shop.dataDir, {
      STRATA_PROJECTION_BATCH_SIZE: String(BATCH_SIZE),
      LOG_LEVEL: 'warn',
    });
    api = await startCommandApi(embeddedEnv(shop.dataDir));
    worker = await startWorkerProcess({ ...workerEnv, LOG_LEVEL: 'info' });
    traffic = startHttpShopTraffic(api.url, plan);
    const killedAt: string[] = [];
    for (let kill = 0; kill < KILLS; kill++) {
      await sleep(300 + Math.random() * 2200);
      const before = await worker.statuses().catch(() => []);
      const progress = before.map((s) => s.eventsProcessed).reduce((a, b) => a + b, 0);
      await worker.kill();
      killedAt.push(String(progress));
      worker = await startWorkerProcess({ ...workerEnv, LOG_LEVEL: 'info' });
    }
    const outcome = await traffic.stop();
    plan.orders.push(...outcome.placed);
    figure(
      SCENARIO,
      'kills (events processed since that start, all processors)',
      killedAt.join(', '),
    );
    figure(
      SCENARIO,
      'HTTP during kills: orders placed, price changes, orders overtaken by one, failures',
      `${outcome.placed.length}, ${outcome.priceChanges}, ${outcome.productChanged}, ${JSON.stringify(outcome.failures)}`,
    );

    const settling = stopwatch();
    const head = () => shop.events.headPosition();
    for (let round = 0; round < 2; round++) {
      for (const status of await worker.statuses())
        await workerSettled(worker, status.name, head, 600_000);
    }
    figure(SCENARIO, 'worker settled after the last kill', settling(), 's');
    expect(await worker.stop()).to.equal(0);
    worker = undefined;
    await api.stop();
    api = undefined;
    const logEvents = shop.events.eventsBetween?.(null, await head()) ?? 0;
    figure(SCENARIO, 'events in the log', logEvents);

    const checking = stopwatch();
    const comparisons = await compareReadModelsWithRebuilds(
      SCENARIO,
      shop.dataDir,
      shop.events,
      shop.upcast,
    );
    const fulfillment = await checkFulfillment(shop.events, plan);
    const problems = fulfillmentProblems(fulfillment);
    figure(
      SCENARIO,
      'orders confirmed, rejected',
      `${fulfillment.confirmed.length}, ${fulfillment.rejected.length}`,
    );
    figure(
      SCENARIO,
      'orders undecided, with several outcomes, wrongly decided',
      `${problems.undecided!.length}, ${problems.severalOutcomes!.length}, ${problems.wrongOutcome!.length}`,
    );
    figure(
      SCENARIO,
      'reservation repeats, stock mismatches',
      `${problems.reservationRepeats!.length}, ${problems.stockMismatches!.length}`,
    );

    const owed = (await owedIntegrationMessages(shop.events, shop.upcast)).map((o) => o.message);
    const delivery = checkDelivery(owed, await readOutboxDeliveries(shop.dataDir));
    const { rows, redelivered } = outboxRedeliveries(shop.dataDir);
    figure(
      SCENARIO,
      'outbox: owed, stored, missing, unexpected, out of order',
      `${owed.length}, ${rows}, ${delivery.missing.length}, ${delivery.unexpected.length}, ${delivery.outOfOrder.length}`,
    );
    figure(
      SCENARIO,
      'outbox: redeliveries absorbed (bound: kills x batch)',
      `${redelivered} (${KILLS * BATCH_SIZE})`,
    );
    figure(SCENARIO, 'checks', checking(), 's');
    figure(SCENARIO, 'runtime', total(), 's');

    expectEqualToRebuilds(comparisons);
    expect(problems).to.deep.equal({
      undecided: [],
      severalOutcomes: [],
      wrongOutcome: [],
      reservationRepeats: [],
      stockMismatches: [],
    });
    expect(Object.keys(outcome.failures), 'every HTTP command answered 2xx').to.deep.equal([]);
    expect(delivery.missing.length, 'public events missing from the outbox').to.equal(0);
    expect(delivery.unexpected.length).to.equal(0);
    expect(delivery.outOfOrder.length).to.equal(0);
    expect(redelivered).to.be.at.most(KILLS * BATCH_SIZE);
  });
});
