import { expect } from 'chai';
import { setTimeout as sleep } from 'node:timers/promises';
import { readModelsFile } from '../../shared-kernel/document-store/sqlite/open';
import { checkDelivery } from '../../shared-kernel/integration/contract/delivery-check';
import { checkFulfillment, fulfillmentProblems } from '../support/fulfillment-check';
import { owedIntegrationMessages, readOutboxDeliveries } from '../support/mirror-expectations';
import { openShopStores, type ShopStores } from '../support/shop-stores';
import { embeddedWorkerEnv } from '../support/worker-process';
import { buildBigShop } from './support/big-shop';
import { figure, knob, stopwatch } from './support/figures';
import { startHttpShopTraffic } from './support/http-shop-traffic';
import { outboxRedeliveries } from './support/outbox-facts';
import { embeddedEnv, startCommandApi, type HttpService } from './support/processes';
import { compareReadModelsWithRebuilds, expectEqualToRebuilds } from './support/rebuild-reference';
import { pauseInsideWriteTransaction } from './support/write-lock';
import { fencedBatches, PROCESSORS, workerFleet, type WorkerFleet } from './support/worker-fleet';

const SCENARIO = 'worker-paused';
const EVENTS = knob('FAULT_PAUSE_EVENTS', 50_000, 10_000);
const BATCH_SIZE = 500;
const HEARTBEAT_MS = 250;
const LEASE_TTL_MS = 1500;
const TAKEOVER_BOUND_MS = LEASE_TTL_MS + 2 * HEARTBEAT_MS;

describe('fault: a worker SIGSTOPped past its lease inside a commit, then resumed', function () {
  this.timeout(1_800_000);
  let shop: ShopStores;
  let api: HttpService | undefined;
  let fleet: WorkerFleet | undefined;

  let traffic: ReturnType<typeof startHttpShopTraffic> | undefined;

  after(async () => {
    // A failure mid-scenario leaves the traffic running: stopped first, or mocha never exits.
    await traffic?.stop();
    await api?.stop();
    await fleet?.stopAll();
    await shop?.close();
  });

  it(`${EVENTS} events: its processors are taken, it commits nothing after (its refused batches counted), read models equal rebuilds`, async () => {
    const total = stopwatch();
    shop = openShopStores('strata-fault-worker-paused-');
    const { plan } = await buildBigShop(shop, EVENTS);
    fleet = workerFleet(
      embeddedWorkerEnv(shop.dataDir, {
        STRATA_PROJECTION_BATCH_SIZE: String(BATCH_SIZE),
        STRATA_HEARTBEAT_INTERVAL_MS: String(HEARTBEAT_MS),
        STRATA_LEASE_TTL_MS: String(LEASE_TTL_MS),
        STRATA_READY_HEARTBEAT_MS: '60000',
        LOG_LEVEL: 'info',
      }),
      shop.documents,
      PROCESSORS,
    );
    api = await startCommandApi(embeddedEnv(shop.dataDir));
    for (let i = 0; i < 3; i++) await fleet.start();
    traffic = startHttpShopTraffic(api.url, plan);
    // Paused while it catches up on the history: it is inside a batch, not idle.
    const before = await fleet.everyProcessorOwned();
    await sleep(200);
    const victim = [...fleet.live.values()].sort(
      (a, b) =>
        PROCESSORS.filter((n) => before.get(n)?.owner === b.id).length -
        PROCESSORS.filter((n) => before.get(n)?.owner === a.id).length,
    )[0]!;
    // Frozen inside a batch's transaction, it holds the read models' write lock while frozen.
    const stops = await pauseInsideWriteTransaction(
      victim.process.pid,
      readModelsFile(shop.dataDir),
    );
    const pausedAt = Date.now();
    // Read once it is frozen: the workers have just joined and leases may still be moving, and a
    // frozen worker can neither take nor give one up, so this is what it holds while paused.
    const atPause = await fleet.leases();
    const held = PROCESSORS.filter((name) => atPause.get(name)?.owner === victim.id);
    // Read from the stores while it is frozen: its own status would say what it did before.
    const busy: { name: string; pending: number }[] = [];
    for (const name of held) {
      const pending = await shop.eventsPending(name);
      if (pending > 0) busy.push({ name, pending });
    }
    figure(SCENARIO, 'SIGSTOPs until one landed inside a read-model write transaction', stops);
    fleet.live.delete(victim.id); // not a running worker while it is frozen
    const taken = await fleet.takeovers(held, atPause, pausedAt);
    await sleep(LEASE_TTL_MS);
    process.kill(victim.process.pid, 'SIGCONT');
    fleet.live.set(victim.id, victim);
    const pausedMs = Date.now() - pausedAt;
    figure(
      SCENARIO,
      `paused ${victim.id} (held ${held.join(' ')})`,
      `${pausedMs} ms, lease ${LEASE_TTL_MS} ms; taken in ${[...taken.values()].join(', ')} ms (bound ${TAKEOVER_BOUND_MS})`,
    );
    await sleep(3 * HEARTBEAT_MS);
    const refused = await fencedBatches(victim);
    figure(
      SCENARIO,
      'batches the resumed worker gave up (lease lost); its processors with work pending at the pause',
      `${refused}; ${busy.map(({ name, pending }) => `${name} (${pending} events)`).join(', ')}`,
    );

    await sleep(1000);
    const outcome = await traffic.stop();
    plan.orders.push(...outcome.placed);
    const head = () => shop.events.headPosition();
    await fleet.settled(head);
    await fleet.settled(head);
    const after = await fleet.leases();
    // Whatever it runs now it took again, with a newer token than the one it was paused with.
    const staleTokens = held.filter(
      (name) =>
        after.get(name)?.owner === victim.id && after.get(name)!.token <= atPause.get(name)!.token,
    );
    const exits = await fleet.stopAll();
    fleet = undefined;
    await api.stop();
    api = undefined;

    const comparisons = await compareReadModelsWithRebuilds(
      SCENARIO,
      shop.dataDir,
      shop.events,
      shop.upcast,
    );
    const problems = fulfillmentProblems(await checkFulfillment(shop.events, plan));
    const owed = (await owedIntegrationMessages(shop.events, shop.upcast)).map((o) => o.message);
    const delivery = checkDelivery(owed, await readOutboxDeliveries(shop.dataDir));
    const { redelivered } = outboxRedeliveries(shop.dataDir);
    figure(
      SCENARIO,
      'outbox: missing, out of order, redeliveries absorbed (bound: one batch)',
      `${delivery.missing.length}, ${delivery.outOfOrder.length}, ${redelivered} (${BATCH_SIZE})`,
    );
    figure(SCENARIO, 'runtime', total(), 's');

    expect(exits).to.deep.equal(exits.map(() => 0));
    expect(held.length, 'the paused worker held processors').to.be.greaterThan(0);
    // Frozen holding the read models' write lock, it must not hold the others back.
    expect(Math.max(...taken.values()), 'slowest takeover').to.be.at.most(TAKEOVER_BOUND_MS);
    // Frozen with work pending, it wakes inside a batch whose commit the fence then refuses.
    if (busy.length > 0) expect(refused, 'refused batches of the resumed worker').to.be.at.least(1);
    expect(staleTokens, 'leases still at the paused worker’s tokens').to.deep.equal([]);
    expectEqualToRebuilds(comparisons);
    expect(problems).to.deep.equal({
      undecided: [],
      severalOutcomes: [],
      wrongOutcome: [],
      reservationRepeats: [],
      stockMismatches: [],
    });
    expect(delivery.missing.length).to.equal(0);
    expect(delivery.unexpected.length).to.equal(0);
    expect(delivery.outOfOrder.length).to.equal(0);
    expect(redelivered).to.be.at.most(BATCH_SIZE);
  });
});
