import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSqliteDocumentStore } from '../shared-kernel/document-store/sqlite/sqlite-document-store';
import type { RunningProcess } from '../shared-kernel/http/serve';
import { newId } from '../shared-kernel/ids';
import { main as commandApi } from '../write-side/main';
import type { Lease } from '../shared-kernel/document-store/port';
import { eventually } from '../test/support/eventually';
import { balancedWithinOne, sharesOf } from '../test/support/lease-balance';
import { postJson } from '../test/support/running-system';
import { embeddedWorkerEnv } from '../test/support/worker-process';
import { runStrata } from './cli/cli.fixtures';
import { main as worker } from './main';
import { isMemberLease } from './engine/lease-plan';
import type { ProcessorStatus } from './engine/status';

const ORDERS = 12;

async function placeOrders(base: string, productId: string, count: number): Promise<string[]> {
  const orderIds = Array.from({ length: count }, () => newId());
  for (const orderId of orderIds) {
    const placed = await postJson(`${base}/orders`, {
      orderId,
      customerId: newId(),
      lines: [{ productId, quantity: 1 }],
      shippingAddress: { name: 'A', line1: 'B 1', city: 'C', postalCode: '1000', country: 'BE' },
    });
    expect(placed.status, JSON.stringify(placed.body)).to.equal(201);
  }
  return orderIds;
}

/**
 * Two workers through their composition root with `STRATA_PARTITIONS=orders=2`: the two
 * partitions are leased like any processor, together they fold every order exactly once, and a
 * worker configured with another count for the same read model refuses to start.
 */
describe('partitioned processors through the worker composition root', function () {
  this.timeout(60_000);
  let dataDir: string;
  const running: RunningProcess[] = [];

  beforeEach(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'strata-partitions-'));
  });
  afterEach(async () => {
    for (const process of running.splice(0).reverse()) await process.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const envOf = (workerId: string, partitions: string) => ({
    ...embeddedWorkerEnv(dataDir, { LOG_LEVEL: 'error' }),
    STRATA_COMMAND_PORT: '0',
    STRATA_WORKER_ID: workerId,
    STRATA_PARTITIONS: partitions,
    STRATA_HEARTBEAT_INTERVAL_MS: '100',
    STRATA_LEASE_TTL_MS: '1000',
  });

  it('splits orders over two leased partitions that fold every order once', async () => {
    const api = await commandApi(envOf('api', ''));
    running.push(api);
    const base = `http://127.0.0.1:${api.port}`;
    const first = await worker(envOf('worker-a', 'orders=2'));
    running.push(first);
    const second = await worker(envOf('worker-b', 'orders=2'));
    running.push(second);

    const productId = newId();
    const sku = `PART-${productId.slice(-6)}`;
    const product = { productId, sku, name: 'Lamp', category: 'lighting' };
    const created = await postJson(`${base}/products`, {
      ...product,
      price: { amount: 1500, currency: 'EUR' },
    });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    const orderIds = await placeOrders(base, productId, ORDERS);

    const documents = openSqliteDocumentStore({ file: path.join(dataDir, 'read-models.db') });
    try {
      await eventually('every order in the read model', async () => {
        const found = await documents.getMany('orders', orderIds);
        return found.size === ORDERS;
      });
      const statuses = async (port: number) => {
        const response = await fetch(`http://127.0.0.1:${port}/status`);
        return ((await response.json()) as { processors: ProcessorStatus[] }).processors;
      };
      const rows = [...(await statuses(first.port)), ...(await statuses(second.port))];
      const partitions = rows.filter((row) => row.name.startsWith('orders'));
      expect(new Set(partitions.map((row) => row.name))).to.deep.equal(
        new Set(['orders:1-of-2', 'orders:2-of-2']),
      );
      expect(rows.some((row) => row.name === 'orders')).to.equal(false);
      // worker-b joined after worker-a took everything, so leases move while they balance (a
      // released lease has no owner until it is claimed): wait until every lease is held and the
      // two workers hold counts within one, after which nothing moves.
      let leases: Lease[] = [];
      await eventually(
        'every lease held, balanced within one over worker-a and worker-b',
        async () => {
          leases = (await documents.leases()).filter((lease) => !isMemberLease(lease.name));
          const owners = leases.map((lease) => lease.owner);
          return balancedWithinOne(sharesOf(owners, ['worker-a', 'worker-b']));
        },
        { timeoutMs: 20_000, describe: () => leases.map((lease) => lease.owner).join(', ') },
      );
      const owners = ['orders:1-of-2', 'orders:2-of-2'].map(
        (name) => leases.find((lease) => lease.name === name)?.owner,
      );
      for (const owner of owners) expect(owner).to.be.oneOf(['worker-a', 'worker-b']);
      // Each partition folded only its own orders: together each order once (version 1 each).
      const folded = await documents.getMany<{ [key: string]: number; version: number }>(
        'orders',
        orderIds,
      );
      expect([...folded.values()].every((doc) => doc.version !== undefined)).to.equal(true);
    } finally {
      await documents.close();
    }

    const status = await runStrata(['projections', 'status', '--json'], {
      STRATA_DATA_DIR: dataDir,
      STRATA_PARTITIONS: 'orders=2',
      STRATA_WORKER_URL: `http://127.0.0.1:${first.port}`,
    });
    expect(status.code, status.stderr).to.equal(0);
    const listed = (JSON.parse(status.stdout) as { processors: { name: string; owner: string }[] })
      .processors;
    for (const name of ['orders:1-of-2', 'orders:2-of-2']) {
      expect(listed.find((row) => row.name === name)?.owner, name).to.be.oneOf([
        'worker-a',
        'worker-b',
      ]);
    }
    expect(listed.some((row) => row.name === 'orders')).to.equal(false);

    // Changing the count while the workers run is refused: they would go on under the old names.
    const whileRunning = await runStrata(['projections', 'rebuild', 'orders'], {
      STRATA_DATA_DIR: dataDir,
      STRATA_PARTITIONS: 'orders=4',
    });
    expect(whileRunning.code, whileRunning.stderr).to.not.equal(0);
    expect(whileRunning.stderr).to.match(
      /orders would go from in 2 partitions to in 4 partitions while workers run it \(orders:1-of-2 by worker-/,
    );

    for (const process of running.splice(1).reverse()) await process.stop();
    let refusal: unknown = null;
    await worker(envOf('worker-c', 'orders=4')).then(
      (started) => running.push(started),
      (error: unknown) => (refusal = error),
    );
    expect(String(refusal)).to.match(
      /STRATA_PARTITIONS: orders is configured in 4 partitions, but its live target orders\S* was built in 2 partitions/,
    );

    // With the workers stopped, a rebuild with the new count makes a target the 4 partitions run.
    const rebuilt = await runStrata(['projections', 'rebuild', 'orders'], {
      STRATA_DATA_DIR: dataDir,
      STRATA_PARTITIONS: 'orders=4',
    });
    expect(rebuilt.code, rebuilt.stderr).to.equal(0);
    const third = await worker(envOf('worker-c', 'orders=4'));
    running.push(third);
    const later = await placeOrders(base, productId, 8);
    const store = openSqliteDocumentStore({ file: path.join(dataDir, 'read-models.db') });
    try {
      await eventually('the later orders folded by the four partitions', async () => {
        const found = await store.getMany('orders', later);
        return found.size === later.length;
      });
      const checkpoints = (await store.getCheckpoints()).map((c) => c.processor);
      for (const name of ['orders:1-of-4', 'orders:2-of-4', 'orders:3-of-4', 'orders:4-of-4'])
        expect(checkpoints, name).to.include(name);
      expect((await store.getMany('orders', orderIds)).size).to.equal(ORDERS);
    } finally {
      await store.close();
    }

    // Rolling back to the two-partition target: refused while worker-c runs, then done.
    const env = { STRATA_DATA_DIR: dataDir, STRATA_PARTITIONS: 'orders=4' };
    const refused = await runStrata(['projections', 'rollback', 'orders'], env);
    expect(refused.stderr).to.match(/orders would go from in 4 partitions to in 2 partitions/);
    for (const process of running.splice(1).reverse()) await process.stop();
    const rolledBack = await runStrata(['projections', 'rollback', 'orders'], env);
    expect(rolledBack.code, rolledBack.stderr).to.equal(0);
    expect(rolledBack.stdout).to.match(/start the workers with STRATA_PARTITIONS orders=2/);
    running.push(await worker(envOf('worker-d', 'orders=2')));
  });
});
