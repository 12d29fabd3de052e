import { expect } from 'chai';
import { setTimeout as sleep } from 'node:timers/promises';
import { checkDelivery } from '../../shared-kernel/integration/contract/delivery-check';
import {
  owedIntegrationMessages,
  readOutboxDeliveries,
} from '../../test/support/mirror-expectations';
import { eventually } from '../../test/support/eventually';
import { checkFulfillment, fulfillmentProblems } from '../../test/support/fulfillment-check';
import { openShopStores, type ShopStores } from '../../test/support/shop-stores';
import { placeOrders, planShop, stockShop } from '../../test/support/shop-traffic';
import {
  embeddedWorkerEnv,
  startWorkerProcess,
  workerSettled,
  type WorkerProcess,
} from '../../test/support/worker-process';

const SAGA = 'fulfillment-saga';

/**
 * The compiled worker (projections/main.js) hosting the saga, killed with SIGKILL mid-work
 * several times while customers keep placing orders into the same embedded log.
 */
describe('fulfillment saga in the projection worker process, killed and restarted', function () {
  this.timeout(90_000);
  let shop: ShopStores;
  let worker: WorkerProcess | undefined;

  beforeEach(() => {
    shop = openShopStores('strata-saga-crash-');
  });
  afterEach(async () => {
    await worker?.stop(2000);
    worker = undefined;
    await shop.close();
  });

  it('still decides every order exactly once after 4 SIGKILLs mid-work, and mirrors each event once to the outbox', async () => {
    const plan = planShop(200);
    await stockShop(shop.dispatch, plan);
    // Small batches: a kill lands between many commits, with effects run and not yet committed.
    const env = embeddedWorkerEnv(shop.dataDir, { STRATA_PROJECTION_BATCH_SIZE: '10' });
    await placeOrders(shop.dispatch, plan.orders.slice(0, 40));
    worker = await startWorkerProcess(env);
    const kills: { checkpoint: string | null; head: string | null }[] = [];
    for (let round = 0; round < 4; round++) {
      const wave = plan.orders.slice(40 + round * 30, 70 + round * 30);
      const placing = placeOrders(shop.dispatch, wave, 4);
      // Kill once this life has done some saga work, at a different moment each round.
      const alive = worker;
      await eventually('the saga to commit a batch', async () => {
        return (await alive.status(SAGA)).eventsProcessed > 0;
      });
      await sleep(20 + round * 60);
      await worker.kill();
      worker = undefined;
      kills.push({
        checkpoint: await shop.documents.getCheckpoint(SAGA),
        head: await shop.events.headPosition(),
      });
      await placing;
      worker = await startWorkerProcess(env);
    }
    await placeOrders(shop.dispatch, plan.orders.slice(160));
    const status = await workerSettled(worker, SAGA, () => shop.events.headPosition());

    const interrupted = kills.filter((k) => k.checkpoint !== null && k.checkpoint < (k.head ?? ''));
    expect(
      interrupted.length,
      `kills with saga work pending: ${JSON.stringify(kills)}`,
    ).to.be.at.least(2);
    const report = await checkFulfillment(shop.events, plan);
    expect(fulfillmentProblems(report)).to.deep.equal({
      undecided: [],
      severalOutcomes: [],
      wrongOutcome: [],
      reservationRepeats: [],
      stockMismatches: [],
    });
    expect(report.confirmed.length + report.rejected.length).to.equal(200);
    expect(status).to.include({ parkedStreams: 0 });

    // The same kills hit the Kafka mirror, here on the embedded outbox: each ce_id once, in order.
    await workerSettled(worker, 'kafka-mirror', () => shop.events.headPosition());
    const owed = (await owedIntegrationMessages(shop.events, shop.upcast)).map((o) => o.message);
    expect(checkDelivery(owed, await readOutboxDeliveries(shop.dataDir))).to.deep.equal({
      delivered: owed.length,
      missing: [],
      duplicates: 0,
      unexpected: [],
      outOfOrder: [],
    });
  });
});
