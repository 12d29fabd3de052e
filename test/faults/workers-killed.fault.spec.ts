import { expect } from 'chai';
import { setTimeout as sleep } from 'node:timers/promises';
import { percentile } from '../../bench/support/measure';
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
import { PROCESSORS, workerFleet, type WorkerFleet } from './support/worker-fleet';

const SCENARIO = 'workers-killed';
const EVENTS = knob('FAULT_EVENTS', 100_000, 10_000);
const KILLS = knob('FAULT_KILLS', 10);
const WORKERS = 3;
const BATCH_SIZE = 500;
const HEARTBEAT_MS = 500;
const LEASE_TTL_MS = 2000;
/** The promise: a dead owner's processor is taken within the lease time plus two heartbeats. */
const TAKEOVER_BOUND_MS = LEASE_TTL_MS + 2 * HEARTBEAT_MS;
/** A join is settled within a few lease times, however loaded the machine. */
const BALANCE_BOUND_MS = 10 * LEASE_TTL_MS;

describe('fault: three workers, the owner of a processor SIGKILLed again and again', function () {
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

  it(`${EVENTS} events, ${KILLS} owners killed under HTTP traffic: takeover within lease + 2 heartbeats, read models equal rebuilds, one outcome per order, duplicates bounded per kill`, async () => {
    const total = stopwatch();
    shop = openShopStores('strata-fault-workers-killed-');
    const { plan } = await buildBigShop(shop, EVENTS);
    const historyEvents = shop.events.eventsBetween?.(null, await shop.events.headPosition()) ?? 0;
    figure(
      SCENARIO,
      'history put in in-process',
      `${historyEvents} events in ${total().toFixed(1)} s`,
    );

    fleet = workerFleet(
      embeddedWorkerEnv(shop.dataDir, {
        STRATA_PROJECTION_BATCH_SIZE: String(BATCH_SIZE),
        STRATA_HEARTBEAT_INTERVAL_MS: String(HEARTBEAT_MS),
        STRATA_LEASE_TTL_MS: String(LEASE_TTL_MS),
        // The bound is the heartbeat's: a loaded CI machine must not fail readiness meanwhile.
        STRATA_READY_HEARTBEAT_MS: '60000',
        // The port is logged at info: that is how the fleet learns where each worker listens.
        LOG_LEVEL: 'info',
      }),
      shop.documents,
      PROCESSORS,
    );
    api = await startCommandApi(embeddedEnv(shop.dataDir));
    for (let i = 0; i < WORKERS; i++) await fleet.start();
    await fleet.everyProcessorOwned();
    traffic = startHttpShopTraffic(api.url, plan);

    const takeoverMs: number[] = [];
    const victims: string[] = [];
    for (let kill = 0; kill < KILLS; kill++) {
      await sleep(300 + Math.random() * 1700);
      const before = await fleet.everyProcessorOwned();
      const processor = PROCESSORS[Math.floor(Math.random() * PROCESSORS.length)] as string;
      const owner = fleet.live.get(before.get(processor)!.owner!)!;
      const held = PROCESSORS.filter((name) => before.get(name)?.owner === owner.id);
      const killedAt = Date.now();
      await fleet.kill(owner);
      const times = await fleet.takeovers(held, before, killedAt);
      takeoverMs.push(...times.values());
      victims.push(`${owner.id} (${held.join(' ')})`);
      await fleet.start(); // back to three: the newcomer gets its share moved back
    }
    const outcome = await traffic.stop();
    traffic = undefined;
    plan.orders.push(...outcome.placed);
    figure(SCENARIO, 'owners killed (their processors)', victims.join('; '));
    figure(
      SCENARIO,
      `takeover p50 / p99 / max (bound ${TAKEOVER_BOUND_MS} ms: lease ${LEASE_TTL_MS} + 2 heartbeats of ${HEARTBEAT_MS})`,
      `${percentile(
        [...takeoverMs].sort((a, b) => a - b),
        50,
      )} / ${percentile(
        [...takeoverMs].sort((a, b) => a - b),
        99,
      )} / ${Math.max(...takeoverMs)} ms over ${takeoverMs.length} takeovers`,
    );
    figure(
      SCENARIO,
      'HTTP during kills: orders placed, price changes, failures',
      `${outcome.placed.length}, ${outcome.priceChanges}, ${JSON.stringify(outcome.failures)}`,
    );

    const settling = stopwatch();
    const head = () => shop.events.headPosition();
    await fleet.settled(head);
    await fleet.settled(head); // the saga's last commands moved the head once more
    figure(SCENARIO, 'workers settled after the last kill', settling(), 's');
    // The last newcomer gets its share once the last victim's member lease has expired and the
    // others have stopped what they hand over: bounded, but not instant.
    const balancing = stopwatch();
    const perWorker = await fleet.balanced(BALANCE_BOUND_MS);
    figure(
      SCENARIO,
      `processors per running worker at the end, balanced after (bound ${BALANCE_BOUND_MS / 1000} s)`,
      `${perWorker.join(', ')}; ${balancing().toFixed(1)} s`,
    );
    const exits = await fleet.stopAll();
    fleet = undefined;
    await api.stop();
    api = undefined;

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
      'orders confirmed, rejected, undecided, with several outcomes',
      `${fulfillment.confirmed.length}, ${fulfillment.rejected.length}, ${problems.undecided!.length}, ${problems.severalOutcomes!.length}`,
    );
    const owed = (await owedIntegrationMessages(shop.events, shop.upcast)).map((o) => o.message);
    const delivery = checkDelivery(owed, await readOutboxDeliveries(shop.dataDir));
    const { redelivered } = outboxRedeliveries(shop.dataDir);
    figure(
      SCENARIO,
      'outbox: missing, out of order, redeliveries absorbed (bound: kills x batch)',
      `${delivery.missing.length}, ${delivery.outOfOrder.length}, ${redelivered} (${KILLS * BATCH_SIZE})`,
    );
    figure(SCENARIO, 'checks', checking(), 's');
    figure(SCENARIO, 'runtime', total(), 's');

    expect(exits, 'every worker exits 0 on SIGTERM').to.deep.equal(exits.map(() => 0));
    expect(Math.max(...takeoverMs), 'slowest takeover').to.be.at.most(TAKEOVER_BOUND_MS);
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
