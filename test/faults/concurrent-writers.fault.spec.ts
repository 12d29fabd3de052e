import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  openSqliteEventStore,
  type SqliteEventStore,
} from '../../shared-kernel/event-store/sqlite';
import { readStream } from '../support/fulfillment-check';
import {
  embeddedWorkerEnv,
  startWorkerProcess,
  workerSettled,
  type WorkerProcess,
} from '../support/worker-process';
import { eventually } from '../support/eventually';
import { figure, knob, stopwatch } from './support/figures';
import { getJson, statusCounts } from './support/http';
import { embeddedEnv, startCommandApi, startQueryApi, type HttpService } from './support/processes';
import { checkRace, expectedOrderStatus } from './support/race-checks';
import { race, type SentCommand } from './support/racing-clients';
import {
  createProducts,
  placeOrder,
  type HttpOrder,
  type HttpProduct,
} from './support/shop-over-http';
import { currentRevision } from './support/stream-facts';

const SCENARIO = 'concurrent-writers';
const CLIENTS = knob('FAULT_WRITERS_CLIENTS', 8);
const COMMANDS = knob('FAULT_WRITERS_COMMANDS', 1000);
/** 50 hot aggregates: half stock items, half orders. */
const HOT_SKUS = 25;
const HOT_ORDERS = 25;

const problemTypes = (sent: readonly SentCommand[]) => {
  const counts: Record<string, number> = {};
  for (const { answer } of sent.filter((s) => s.answer.status >= 400)) {
    const type = `${answer.status} ${(answer.body as { type?: string }).type ?? '?'}`;
    counts[type] = (counts[type] ?? 0) + 1;
  }
  return counts;
};

describe('fault: concurrent writers on hot aggregates', function () {
  this.timeout(300_000);
  let dataDir: string;
  let api: HttpService;
  let query: HttpService;
  let worker: WorkerProcess;
  let store: SqliteEventStore;
  let products: HttpProduct[];
  let orders: HttpOrder[];

  before(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'strata-fault-writers-'));
    api = await startCommandApi(embeddedEnv(dataDir));
    worker = await startWorkerProcess(embeddedWorkerEnv(dataDir));
    query = await startQueryApi(embeddedEnv(dataDir));
    store = openSqliteEventStore({ dataDir });
    products = await createProducts(api.url, HOT_SKUS, 10_000);
    orders = [];
    for (let i = 0; i < HOT_ORDERS; i++)
      orders.push(await placeOrder(api.url, products[i % HOT_SKUS]!, 1 + (i % 3)));
    await eventually(
      'the saga to confirm every hot order',
      async () => {
        for (const order of orders) {
          const events = await readStream(store, `order-${order.orderId}`);
          if (!events.some((e) => e.type === 'OrderConfirmed')) return false;
        }
        return true;
      },
      { timeoutMs: 30_000 },
    );
  });
  after(async () => {
    await api?.stop();
    await query?.stop();
    await worker?.stop();
    await store?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  /** Until the saga (which commits stock on shipment) and the read models reach the head. */
  async function settle(): Promise<void> {
    const head = () => store.headPosition();
    for (const processor of ['fulfillment-saga', 'inventory', 'orders', 'fulfillment-saga']) {
      await workerSettled(worker, processor, head, 60_000);
    }
  }

  it(`without If-Match: ${CLIENTS} clients x ${COMMANDS} commands lose no acknowledged update and apply none twice`, async () => {
    const elapsed = stopwatch();
    const sent = await race({
      commandUrl: api.url,
      products,
      orders,
      clients: CLIENTS,
      commandsPerClient: COMMANDS,
      withOrders: true,
      phase: 'free',
    });
    const raceSeconds = elapsed();
    const findings = await checkRace(store, sent, products, orders, 'free');
    await settle();
    const readMismatches: string[] = [];
    for (const product of products) {
      const answer = await getJson(`${query.url}/inventory/${product.sku}`);
      const onHand = (answer.body as { onHand?: number }).onHand;
      if (onHand !== findings.expectedOnHand.get(product.sku))
        readMismatches.push(
          `${product.sku}: query API on hand ${onHand}, acknowledged ${findings.expectedOnHand.get(product.sku)}`,
        );
    }
    for (const order of orders) {
      const answer = await getJson(`${query.url}/orders/${order.orderId}`);
      const status = (answer.body as { status?: string }).status;
      const expected = expectedOrderStatus(sent, order, 'free');
      if (status !== expected)
        readMismatches.push(
          `order ${order.orderId}: query API ${status}, acknowledged ${expected}`,
        );
    }

    figure(
      SCENARIO,
      'free: answers by status',
      JSON.stringify(statusCounts(sent.map((s) => s.answer))),
    );
    figure(SCENARIO, 'free: refusals by type', JSON.stringify(problemTypes(sent)));
    figure(SCENARIO, 'free: commands per second', sent.length / raceSeconds, '/s');
    figure(SCENARIO, 'free: lost updates', findings.lost.length);
    figure(SCENARIO, 'free: applied twice', findings.appliedTwice.length);
    figure(SCENARIO, 'free: applied though refused', findings.unacknowledged.length);
    figure(
      SCENARIO,
      'free: stock/order state mismatches (log, query API)',
      `${findings.stateMismatches.length}, ${readMismatches.length}`,
    );
    figure(SCENARIO, 'free: runtime', elapsed(), 's');

    const failures = sent.filter((s) => s.answer.status >= 500 || s.answer.status === 0);
    expect(failures.map((s) => `${s.answer.status} ${s.answer.raw}`)).to.deep.equal([]);
    expect(findings.lost).to.deep.equal([]);
    expect(findings.appliedTwice).to.deep.equal([]);
    expect(findings.unacknowledged).to.deep.equal([]);
    expect(findings.stateMismatches).to.deep.equal([]);
    expect(readMismatches).to.deep.equal([]);
  });

  it(`with If-Match: every conflict is a 412 and nothing is applied twice`, async () => {
    const elapsed = stopwatch();
    const revisionOf = (sku: string) => currentRevision(store, `stock-${sku}`);
    const sent = await race({
      commandUrl: api.url,
      products,
      orders,
      clients: CLIENTS,
      commandsPerClient: COMMANDS,
      withOrders: false,
      revisionOf,
      phase: 'pinned',
    });
    const raceSeconds = elapsed();
    const findings = await checkRace(store, sent, products, [], 'pinned');
    const conflicts = sent.reduce((sum, s) => sum + s.preconditionFailures, 0);
    const acknowledged = sent.filter((s) => s.answer.status === 200).length;
    let stored = 0;
    for (const product of products) {
      for (const event of await readStream(store, `stock-${product.sku}`)) {
        const data = event.data as { reference?: unknown; reason?: unknown };
        if (String(data.reference ?? data.reason ?? '').startsWith('pinned-')) stored += 1;
      }
    }

    figure(
      SCENARIO,
      'If-Match: final answers by status',
      JSON.stringify(statusCounts(sent.map((s) => s.answer))),
    );
    figure(SCENARIO, 'If-Match: 412 conflicts met (then re-read and retried)', conflicts);
    figure(SCENARIO, 'If-Match: acknowledged, events stored', `${acknowledged}, ${stored}`);
    figure(
      SCENARIO,
      'If-Match: commands per second (incl. retries)',
      (sent.length + conflicts) / raceSeconds,
      '/s',
    );
    figure(
      SCENARIO,
      'If-Match: lost, applied twice, applied though refused',
      `${findings.lost.length}, ${findings.appliedTwice.length}, ${findings.unacknowledged.length}`,
    );
    figure(SCENARIO, 'If-Match: runtime', elapsed(), 's');

    const notAcked = sent.filter((s) => s.answer.status !== 200);
    expect(
      notAcked.map((s) => `${s.answer.status} ${s.answer.raw}`),
      'each command finally acknowledged',
    ).to.deep.equal([]);
    expect(conflicts, 'writers on 25 streams do conflict').to.be.greaterThan(0);
    expect(stored).to.equal(acknowledged);
    expect(findings.lost).to.deep.equal([]);
    expect(findings.appliedTwice).to.deep.equal([]);
    expect(findings.unacknowledged).to.deep.equal([]);
    expect(findings.stateMismatches).to.deep.equal([]);
  });
});
