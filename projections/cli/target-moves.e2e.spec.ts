import { expect } from 'chai';
import { setTimeout as sleep } from 'node:timers/promises';
import { eventually } from '../../test/support/eventually';
import {
  postJson,
  runningSystem,
  settled,
  type RunningSystem,
} from '../../test/support/running-system';
import { runStrata } from './cli.fixtures';

interface Answer {
  status: number;
  body: { price?: { amount: number }; items?: unknown[] };
}

/**
 * Rollback, reset and a rebuild's swap move a processor's checkpoint under the running worker.
 * In a quiet shop no next event comes to make it notice: the worker and the query API must
 * follow on their own, through the composition roots, with the CLI doing the moving.
 */
describe('a running system follows rollback, reset and swap without a new event (e2e)', function () {
  this.timeout(120_000);
  let system: RunningSystem;
  let command: string;
  let query: string;
  let cli: Record<string, string>;
  let productId: string;

  before(async () => {
    system = runningSystem();
    // Long enough for a loaded machine: the wait is what the spec checks, not its bound.
    system.env.STRATA_MIN_POSITION_WAIT_MS = '8000';
    command = (await system.start('command')).base;
    const worker = (await system.start('worker')).base;
    query = (await system.start('query')).base;
    cli = { STRATA_DATA_DIR: system.dataDir, STRATA_WORKER_URL: worker };
  });
  after(async () => system.stopAll());

  const read = async (path: string, minPosition: string): Promise<Answer> => {
    const response = await fetch(`${query}${path}`, { headers: { 'X-Min-Position': minPosition } });
    return { status: response.status, body: (await response.json()) as Answer['body'] };
  };
  const strata = async (...args: string[]) => {
    const run = await runStrata(args, cli);
    expect(run.code, run.stderr).to.equal(0);
    return run.stdout;
  };

  it('rebuild, a price change, rollback: the restored products target reaches the change', async () => {
    const created = await postJson(`${command}/products`, {
      sku: 'ROLL-1',
      name: 'Kettle',
      category: 'kitchen',
      price: { amount: 2999, currency: 'EUR' },
    });
    expect(created.status).to.equal(201);
    const { id, position } = created.body as { id: string; position: string };
    productId = id;
    expect((await read(`/products/${id}`, position)).body.price?.amount).to.equal(2999);

    await strata('projections', 'rebuild', 'products');
    const changed = await postJson(`${command}/products/${id}/price`, {
      price: { amount: 3499, currency: 'EUR' },
    });
    expect(changed.status).to.equal(200);
    const changedAt = (changed.body as { position: string }).position;
    expect((await read(`/products/${id}`, changedAt)).body.price?.amount).to.equal(3499);

    await settled(cli.STRATA_WORKER_URL!);
    // The restored target stopped before the change; nothing is appended after the rollback.
    await strata('projections', 'rollback', 'products');
    // Past the query API's idle checkpoint poll (100 ms), so it has seen the rollback.
    await sleep(1000);
    const after = await read(`/products/${id}`, changedAt);
    expect(after.status, JSON.stringify(after.body)).to.equal(200);
    expect(after.body.price?.amount).to.equal(3499);
    const status = JSON.parse(await strata('projections', 'status', 'products', '--json')) as {
      head: string;
      processors: { checkpoint: string; state: string }[];
    };
    expect(status.processors[0]).to.include({ checkpoint: status.head });
  });

  it('reset orders: the worker redoes the log from the start and the list fills again', async () => {
    const order = await postJson(`${command}/orders`, {
      customerId: '0190f5a2-0000-7000-8000-0000000000c1',
      lines: [{ productId, quantity: 1 }],
      shippingAddress: { name: 'A', line1: 'B 1', city: 'C', postalCode: '1000', country: 'BE' },
    });
    expect(order.status).to.equal(201);
    const { id, position } = order.body as { id: string; position: string };
    expect((await read(`/orders/${id}`, position)).status).to.equal(200);

    await strata('projections', 'reset', 'orders', '--yes');
    let last: Answer | null = null;
    await eventually(
      'the reset orders read model to hold the order again',
      async () => (last = await read(`/orders/${id}`, position)).status === 200,
      { timeoutMs: 30_000, intervalMs: 200, describe: () => JSON.stringify(last) },
    );
  });
});
