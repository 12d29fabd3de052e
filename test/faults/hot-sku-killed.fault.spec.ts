import { expect } from 'chai';
import { setTimeout as sleep } from 'node:timers/promises';
import { foldEvents } from '../../shared-kernel/decider';
import { stockItemDecider } from '../../write-side/inventory/stock-item/decider';
import type { StockItemEvent } from '../../write-side/inventory/stock-item/events';
import { eventually } from '../support/eventually';
import { checkFulfillment, fulfillmentProblems, readStream } from '../support/fulfillment-check';
import { openShopStores, type ShopStores } from '../support/shop-stores';
import { placeOrders, stockShop } from '../support/shop-traffic';
import {
  embeddedWorkerEnv,
  startWorkerProcess,
  workerSettled,
  type WorkerProcess,
} from '../support/worker-process';
import { figure, knob, stopwatch } from './support/figures';
import { confirmedUnits, inventoryOf, planHotSkuShop } from './support/hot-sku-shop';
import { compareReadModelsWithRebuilds, expectEqualToRebuilds } from './support/rebuild-reference';

const SCENARIO = 'hot-sku-killed';
const ORDERS = knob('FAULT_HOT_SKU_ORDERS', 5000, 1000);
const KILLS = knob('FAULT_HOT_SKU_KILLS', 3);
const SAGA = 'fulfillment-saga';
/** Small batches: each kill lands between many commits, with commands run and not committed. */
const BATCH_SIZE = 200;

describe('fault: every order wants the same SKU, and the worker is SIGKILLed while the saga works', function () {
  this.timeout(1_800_000);
  let shop: ShopStores;
  let worker: WorkerProcess | undefined;

  after(async () => {
    await worker?.stop();
    await shop?.close();
  });

  it(`${ORDERS} orders of one SKU, ${KILLS} kills: one outcome per order, reserved = confirmed units, read models equal rebuilds`, async () => {
    const total = stopwatch();
    shop = openShopStores('strata-fault-hot-sku-');
    const plan = planHotSkuShop(ORDERS);
    await stockShop(shop.dispatch, plan);
    // A backlog for the first life, then one wave of customers per life.
    const backlog = Math.floor(ORDERS * 0.4);
    const waveSize = Math.ceil((ORDERS - backlog) / (KILLS + 1));
    const wave = (n: number) =>
      plan.orders.slice(backlog + n * waveSize, backlog + (n + 1) * waveSize);
    await placeOrders(shop.dispatch, plan.orders.slice(0, backlog), 16);
    figure(
      SCENARIO,
      'stock of the one SKU, orders (backlog before the worker)',
      `${plan.hot.stock}, ${ORDERS} (${backlog})`,
    );

    const env = embeddedWorkerEnv(shop.dataDir, {
      STRATA_PROJECTION_BATCH_SIZE: String(BATCH_SIZE),
    });
    worker = await startWorkerProcess(env);
    const kills: { pending: number; processed: number }[] = [];
    for (let kill = 0; kill < KILLS; kill++) {
      const alive = worker;
      await eventually(
        'the saga to commit a batch in this life',
        async () => (await alive.status(SAGA)).eventsProcessed > 0,
        { timeoutMs: 300_000 },
      );
      // The wave starts only once this life is working, and the kill waits until the saga is
      // behind the log: a saga that outruns a small wave must not turn the kill into a no-op.
      const placing = placeOrders(shop.dispatch, wave(kill), 8);
      await sleep(Math.random() * 200);
      await eventually(
        'the saga to be behind the log',
        async () => (await shop.eventsPending(SAGA)) > 0,
        {
          timeoutMs: 120_000,
          intervalMs: 5,
        },
      );
      const processed = (await alive.status(SAGA)).eventsProcessed;
      await worker.kill();
      worker = undefined;
      kills.push({ pending: await shop.eventsPending(SAGA), processed });
      await placing;
      worker = await startWorkerProcess(env);
    }
    await placeOrders(shop.dispatch, wave(KILLS), 8);
    figure(
      SCENARIO,
      'kills: saga events processed in that life / events pending at the kill',
      kills.map((k) => `${k.processed}/${k.pending}`).join(', '),
    );

    const settling = stopwatch();
    const head = () => shop.events.headPosition();
    for (let round = 0; round < 2; round++) {
      for (const status of await worker.statuses())
        await workerSettled(worker, status.name, head, 900_000);
    }
    figure(SCENARIO, 'worker settled after the last kill', settling(), 's');
    expect(await worker.stop()).to.equal(0);
    worker = undefined;

    const checking = stopwatch();
    const report = await checkFulfillment(shop.events, plan);
    const problems = fulfillmentProblems(report);
    const stock = foldEvents(
      stockItemDecider,
      (await readStream(shop.events, `stock-${plan.hot.sku}`)) as unknown as StockItemEvent[],
    );
    const units = confirmedUnits(plan, report);
    const inventory = await inventoryOf(shop.documents, plan.hot.sku);
    figure(
      SCENARIO,
      'orders confirmed, rejected',
      `${report.confirmed.length}, ${report.rejected.length}`,
    );
    figure(
      SCENARIO,
      'orders undecided, with several outcomes; reservation repeats, stock mismatches',
      `${problems.undecided!.length}, ${problems.severalOutcomes!.length}; ${problems.reservationRepeats!.length}, ${problems.stockMismatches!.length}`,
    );
    figure(
      SCENARIO,
      'units reserved (stock stream), confirmed, reserved (inventory read model), on hand',
      `${stock.reserved}, ${units}, ${inventory?.reserved}, ${stock.onHand}`,
    );

    const comparisons = await compareReadModelsWithRebuilds(
      SCENARIO,
      shop.dataDir,
      shop.events,
      shop.upcast,
    );
    figure(SCENARIO, 'checks', checking(), 's');
    figure(SCENARIO, 'runtime', total(), 's');

    expect(
      kills.filter((k) => k.pending > 0).length,
      'kills with saga work pending',
    ).to.be.at.least(2);
    expect(problems).to.deep.equal({
      undecided: [],
      severalOutcomes: [],
      wrongOutcome: [],
      reservationRepeats: [],
      stockMismatches: [],
    });
    expect(report.confirmed.length + report.rejected.length).to.equal(ORDERS);
    expect(report.confirmed.length, 'some orders confirmed').to.be.greaterThan(0);
    expect(report.rejected.length, 'some orders rejected (demand outruns stock)').to.be.greaterThan(
      0,
    );
    expect(stock.reserved, 'reserved units = units of confirmed orders').to.equal(units);
    expect(inventory?.reserved, 'the inventory read model agrees').to.equal(units);
    expectEqualToRebuilds(comparisons);
  });
});
