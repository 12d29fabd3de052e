import { expect } from 'chai';
import { rmSync } from 'node:fs';
import { openSqliteEventStore } from '../../../shared-kernel/event-store/sqlite';
import { runStrata, tempDataDir } from '../cli.fixtures';

/** Streams by category and events by type, read back from the whole log. */
async function census(dataDir: string) {
  const store = openSqliteEventStore({ dataDir });
  const streams = new Map<string, Set<string>>();
  const types = new Map<string, number>();
  const orders: { customerId: string; lines: { productId: string; unitPrice: unknown }[] }[] = [];
  let events = 0;
  try {
    for await (const event of store.readAll()) {
      events++;
      const category = event.streamId.slice(0, event.streamId.indexOf('-'));
      if (!streams.has(category)) streams.set(category, new Set());
      streams.get(category)!.add(event.streamId);
      types.set(event.type, (types.get(event.type) ?? 0) + 1);
      if (event.type === 'OrderPlaced') orders.push(event.data as (typeof orders)[number]);
    }
  } finally {
    await store.close();
  }
  const count = (category: string) => streams.get(category)?.size ?? 0;
  return { events, count, types, orders };
}

describe('strata seed', function () {
  this.timeout(30_000);
  let dataDir: string;
  beforeEach(() => (dataDir = tempDataDir()));
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('writes products, their SKU claims and stock, then orders, all through the command handler', async () => {
    const run = await runStrata(
      ['seed', '--products', '40', '--orders', '25', '--customers', '6', '--json'],
      { STRATA_DATA_DIR: dataDir },
    );
    expect(run.code, run.stderr).to.equal(0);
    const summary = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(summary).to.include({ products: 40, stockReceipts: 40, orders: 25, customers: 6 });
    const log = await census(dataDir);
    expect(log.count('product')).to.equal(40);
    expect(log.count('sku')).to.equal(40);
    expect(log.count('stock')).to.equal(40);
    expect(log.count('order')).to.equal(25);
    expect(log.types.get('ProductCreated')).to.equal(40);
    expect(log.types.get('StockReceived')).to.equal(40);
    expect(log.types.get('OrderPlaced')).to.equal(25);
    // What the summary reports is what the log holds, up to its last position.
    expect(summary.events).to.equal(log.events);
    expect(summary.lastPosition).to.equal(log.events.toString(16).padStart(16, '0'));
    // Orders come from the customer pool and are priced from the catalog (the context loader).
    expect(new Set(log.orders.map((o) => o.customerId)).size).to.be.within(1, 6);
    for (const order of log.orders) {
      expect(order.lines.length).to.be.within(1, 3);
      for (const line of order.lines) expect(line.unitPrice).to.have.property('currency', 'EUR');
    }
  });

  it('can run twice into the same store (new SKUs each run), and refuses a bad count as usage', async () => {
    const env = { STRATA_DATA_DIR: dataDir };
    expect((await runStrata(['seed', '--products', '5'], env)).code).to.equal(0);
    const second = await runStrata(['seed', '--products', '5', '--orders', '3'], env);
    expect(second.code, second.stderr).to.equal(0);
    expect(second.stderr).to.match(
      /seeded 5 products with stock and 3 orders by 1 customers: 18 events/,
    );
    // Not a terminal: progress as plain lines, the last one with every command, none twice.
    const lines = second.stderr.split('\n').filter((line) => line.startsWith('seed: '));
    expect(lines.at(-1)).to.match(/^seed: 13\/13 commands, \d+ commands\/s, ETA /);
    expect(new Set(lines).size).to.equal(lines.length);
    const log = await census(dataDir);
    expect(log.count('product')).to.equal(10);
    expect(log.count('order')).to.equal(3);

    const bad = await runStrata(['seed', '--products', 'many'], env);
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.match(/--products <n>.*expected a whole number/);
    expect((await runStrata(['seed'], env)).code).to.equal(2);
  });
});
