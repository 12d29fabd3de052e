import { expect } from 'chai';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { openSqliteDocumentStore } from '../../shared-kernel/document-store/sqlite/sqlite-document-store';
import { loadDeadLetters } from '../../projections/engine/dead-letter-store';
import { readModelProjections } from '../../projections/read-models';
import { createWorker, type Worker } from '../../projections/worker';
import { eventually } from '../support/eventually';
import { buildShopHistory, changePrices } from '../support/shop-history';
import { openShopStores, TEST_RUNNER_OPTIONS, type ShopStores } from '../support/shop-stores';
import { placeOrders, planShop } from '../support/shop-traffic';
import { figure, stopwatch } from './support/figures';
import { poisoned, type Poison } from './support/poisoned-projection';
import { embeddedEnv, STRATA_CLI } from './support/processes';
import { compareWithRebuilds } from './support/rebuild-reference';
import { childEnv } from '../../shared-kernel/config/child-env';

const SCENARIO = 'poison-event';
const run = promisify(execFile);

describe('fault: a poison event in one stream', function () {
  this.timeout(180_000);
  let shop: ShopStores;
  let worker: Worker | undefined;

  after(async () => {
    await worker?.stop();
    await shop?.close();
  });

  it('parks only that stream, the others keep up; `strata dead-letters retry` after the fix leaves none parked and the read model complete', async () => {
    const elapsed = stopwatch();
    shop = openShopStores('strata-fault-poison-');
    const plan = await buildShopHistory(shop, 200, 3);
    const victim = plan.products[0]!;
    const poison: Poison = { streamId: `product-${victim.productId}`, active: true, refusals: 0 };
    const projections = readModelProjections().filter((p) =>
      ['products', 'orders', 'inventory'].includes(p.name),
    );
    const specs = projections.map((projection) => ({
      projection: projection.name === 'products' ? poisoned(projection, poison) : projection,
      rebuildable: true,
    }));
    // The worker's own composition, in this process, over the stores the compiled CLI opens.
    worker = createWorker({
      eventStore: shop.events,
      store: shop.documents,
      specs,
      upcast: shop.upcast,
      logger: shop.logger,
      options: TEST_RUNNER_OPTIONS,
      leases: { workerId: 'poison-fault', ttlMs: 5_000 },
    });
    await worker.start();
    const statuses = () => worker!.statuses();
    const head = () => shop.events.headPosition();
    const allAtHead = async () => {
      const now = await head();
      return statuses().every((s) => s.checkpoint === now);
    };
    await eventually(
      'every processor at the head, the victim parked',
      async () =>
        (await allAtHead()) && statuses().find((s) => s.name === 'products')!.parkedStreams === 1,
      { timeoutMs: 60_000, describe: () => JSON.stringify(statuses()) },
    );

    // Life goes on while the stream is parked: more orders, more price changes (the victim's too).
    const later = planShop(100);
    later.products = plan.products;
    for (const order of later.orders) {
      order.lines = order.lines.map((line, i) => ({
        ...line,
        productId: plan.products[i]!.productId,
        sku: plan.products[i]!.sku,
      }));
    }
    await placeOrders(shop.dispatch, later.orders);
    await changePrices(shop.dispatch, plan.products, 3, 5000);
    // Lag is sampled by each runner's maintenance tick: wait for a sample taken at the head.
    const noLag = async () => (await allAtHead()) && statuses().every((s) => s.lagEvents === 0);
    await eventually('every processor at the head again, lag sampled there', noLag, {
      timeoutMs: 60_000,
      describe: () => JSON.stringify(statuses()),
    });
    const whileParked = statuses();
    const products = whileParked.find((s) => s.name === 'products')!;
    const held = poison.refusals;
    figure(SCENARIO, 'parked streams while poisoned', products.parkedStreams);
    figure(
      SCENARIO,
      'lag in events while parked (products / orders / inventory)',
      whileParked.map((s) => s.lagEvents ?? 'n/a').join(' / '),
    );
    figure(SCENARIO, 'events refused on the poisoned stream', held);

    poison.active = false;
    const cli = await run(
      process.execPath,
      [STRATA_CLI, 'dead-letters', 'retry', '--processor', 'products', '--wait', '30'],
      {
        env: childEnv(process.env, embeddedEnv(shop.dataDir)),
      },
    ).catch((error: { code: number; stdout: string; stderr: string }) => error);
    const exitCode = 'code' in cli ? cli.code : 0;
    figure(SCENARIO, 'strata dead-letters retry: exit code', exitCode);
    process.stdout.write(cli.stdout.replace(/^/gm, '        | '));
    await eventually('the products processor at the head', allAtHead, { timeoutMs: 30_000 });
    const left = await loadDeadLetters(shop.documents, 'products');
    const reference = openSqliteDocumentStore({ file: path.join(shop.dataDir, 'rebuilt.db') });
    const [compared] = await compareWithRebuilds(['products'], {
      eventStore: shop.events,
      live: shop.documents,
      reference,
      upcast: shop.upcast,
    }).finally(() => reference.close());
    figure(SCENARIO, 'parked streams after retry', left.length);
    figure(
      SCENARIO,
      'products documents live/rebuilt, differing',
      `${compared!.documents}/${compared!.reference}, ${compared!.differing}`,
    );
    figure(SCENARIO, 'runtime', elapsed(), 's');

    expect(products.parkedStreams).to.equal(1);
    for (const status of whileParked)
      expect(status.lagEvents, `${status.name} lag while parked`).to.equal(0);
    expect(held, 'the parked stream had events to hold').to.be.greaterThan(0);
    expect(exitCode, cli.stderr).to.equal(0);
    expect(cli.stdout).to.contain('released');
    expect(left).to.deep.equal([]);
    expect(compared!.differing, compared!.examples.join('\n')).to.equal(0);
    expect(compared!.documents).to.equal(compared!.reference);
  });
});
