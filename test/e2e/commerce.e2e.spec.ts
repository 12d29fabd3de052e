import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { eventually, startSystem, type Answer, type RunningSystem } from './support/system';

/**
 * The whole system as `make run` starts it, driven over HTTP only: commands on the command API,
 * every read on the query API with the command's position as X-Min-Position / minPosition, so
 * no answer is read before the read models have the write. No sleeps.
 */
describe('Strata end to end: catalog, stock, orders with the saga, search, audit', function () {
  this.timeout(120_000);
  let sys: RunningSystem;
  const actor = `e2e-${randomUUID().slice(0, 8)}`;
  const customer = randomUUID();
  const address = {
    name: 'Ada',
    line1: '1 Main St',
    city: 'Leeds',
    postalCode: 'LS1',
    country: 'GB',
  };
  const products: Record<string, { id: string; position: string }> = {};
  const orders: Record<string, string> = {};
  let lastPosition = '0';

  const command = async (url: string, body: object, expected = [200, 201]) => {
    const res = await sys.command.post(url, body, { 'X-Actor': actor });
    expect(expected, `${url}: ${JSON.stringify(res.body)}\n${sys.output()}`).to.include(res.status);
    if (typeof res.body.position === 'string') lastPosition = res.body.position;
    return res.body as { id: string; streamRevision: number; position: string };
  };
  const read = async (url: string, position = lastPosition, status = 200) => {
    const res = await sys.query.get(url, { 'X-Min-Position': position });
    expect(res.status, `${url}: ${JSON.stringify(res.body)}`).to.equal(status);
    expect(
      res.headers.get('x-projection-position')! >= position,
      'served at or past the position',
    ).to.equal(true);
    return res.body;
  };
  const orderStatus = (id: string, status: string) =>
    eventually(
      () => sys.query.get(`/orders/${id}`),
      (a: Answer) => a.status === 200 && a.body.status === status,
      `order ${id} to be ${status}`,
    );

  before(async () => {
    sys = await startSystem();
  });
  after(async () => sys?.stop());

  it('creates products and receives stock; each is readable at its command position', async () => {
    const catalog = [
      {
        sku: `KET-${actor}`,
        name: 'Steel kettle',
        category: 'kitchen',
        amount: 2000,
        description: 'boils water fast',
      },
      {
        sku: `MUG-${actor}`,
        name: 'Blue mug',
        category: 'kitchen',
        amount: 900,
        description: 'ceramic, blue glaze',
      },
      {
        sku: `LMP-${actor}`,
        name: 'Desk lamp',
        category: 'office',
        amount: 12000,
        description: 'warm blue light',
      },
    ];
    for (const p of catalog) {
      const { amount, ...fields } = p;
      const created = await command('/products', {
        ...fields,
        price: { amount, currency: 'EUR' },
      });
      products[p.name] = created;
      const product = await read(`/products/${created.id}`, created.position);
      expect(product).to.include({
        name: p.name,
        category: p.category,
        status: 'active',
        version: 0,
      });
    }
    await command(`/inventory/KET-${actor}/receipts`, { quantity: 5 });
    await command(`/inventory/MUG-${actor}/receipts`, { quantity: 1 });
    expect(await read(`/inventory/KET-${actor}`)).to.include({
      onHand: 5,
      reserved: 0,
      available: 5,
    });
    // The same wait, asked for with the query parameter instead of the header.
    const mug = (
      await sys.query.get(`/products/${products['Blue mug']!.id}?minPosition=${lastPosition}`)
    ).body;
    expect(mug.stock).to.deep.equal({ onHand: 1, reserved: 0, available: 1 });
  });

  it('places orders: the saga confirms what stock allows and rejects the rest; pay, ship, cancel', async () => {
    const kettle = products['Steel kettle']!.id;
    const mug = products['Blue mug']!.id;
    orders.shipped = (
      await command('/orders', {
        customerId: customer,
        lines: [{ productId: kettle, quantity: 2 }],
        shippingAddress: address,
      })
    ).id;
    orders.rejected = (
      await command('/orders', {
        customerId: customer,
        lines: [{ productId: mug, quantity: 3 }],
        shippingAddress: address,
      })
    ).id;
    orders.cancelled = (
      await command('/orders', {
        customerId: customer,
        lines: [{ productId: kettle, quantity: 1 }],
        shippingAddress: address,
      })
    ).id;

    const confirmed = await orderStatus(orders.shipped, 'confirmed');
    expect(confirmed.body.total).to.deep.equal({ amount: 4000, currency: 'EUR' });
    const rejected = await orderStatus(orders.rejected, 'rejected');
    expect(rejected.body.rejection.failedSkus).to.deep.equal([`MUG-${actor}`]);
    await orderStatus(orders.cancelled, 'confirmed');

    await command(`/orders/${orders.shipped}/payments`, {
      amount: { amount: 4000, currency: 'EUR' },
      paymentReference: 'pay-1',
    });
    expect((await read(`/orders/${orders.shipped}`)).status).to.equal('paid');
    await command(`/orders/${orders.shipped}/shipment`, { carrier: 'DHL', trackingNumber: 'T-1' });
    const shipped = await read(`/orders/${orders.shipped}`);
    expect(shipped.statusHistory.map((s: { status: string }) => s.status)).to.deep.equal([
      'placed',
      'confirmed',
      'paid',
      'shipped',
    ]);
    await command(`/orders/${orders.cancelled}/cancellation`, { reason: 'changed my mind' });
    expect((await read(`/orders/${orders.cancelled}`)).status).to.equal('cancelled');
    await command(
      `/orders/${orders.cancelled}/payments`,
      { amount: { amount: 2000, currency: 'EUR' }, paymentReference: 'late' },
      [409],
    );

    // Shipment commits the kettle reservation; the cancellation's release is the saga's reaction.
    const stock = await eventually(
      () => sys.query.get(`/inventory/KET-${actor}`),
      (a) => a.status === 200 && a.body.reserved === 0,
      'kettle reservations released',
    );
    expect(stock.body).to.include({ onHand: 3, reserved: 0, available: 3 });
  });

  it("lists the customer's orders newest first, in pages, and by status", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await read(
        `/customers/${customer}/orders?limit=1${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.items.length).to.equal(1);
      seen.push(page.items[0].orderId);
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).to.deep.equal([orders.cancelled, orders.rejected, orders.shipped]);
    const rejected = await read(`/customers/${customer}/orders?status=rejected`);
    expect(rejected.items.map((o: { orderId: string }) => o.orderId)).to.deep.equal([
      orders.rejected,
    ]);
  });

  it('searches with text, category, price range, stock, every sort and facets', async () => {
    // The orders' position covers the confirmations, so popularity is in the index by then.
    const at = (await sys.query.get(`/orders/${orders.cancelled}`)).headers.get(
      'x-projection-position',
    )!;
    const search = async (q: string) =>
      (await read(`/products/search?${q}`, lastPosition > at ? lastPosition : at)).items.map(
        (p: { sku: string }) => p.sku,
      );
    const mine = (skus: string[]) => skus.filter((s) => s.endsWith(actor));
    expect(mine(await search('q=blue'))).to.deep.equal([`MUG-${actor}`, `LMP-${actor}`]);
    expect(mine(await search('category=office'))).to.deep.equal([`LMP-${actor}`]);
    expect(mine(await search('minPrice=1000&maxPrice=5000&sort=price_asc'))).to.deep.equal([
      `KET-${actor}`,
    ]);
    expect(mine(await search('inStock=true&sort=price_asc'))).to.deep.equal([
      `MUG-${actor}`,
      `KET-${actor}`,
    ]);
    expect(mine(await search('sort=price_asc'))).to.deep.equal([
      `MUG-${actor}`,
      `KET-${actor}`,
      `LMP-${actor}`,
    ]);
    expect(mine(await search('sort=price_desc'))).to.deep.equal([
      `LMP-${actor}`,
      `KET-${actor}`,
      `MUG-${actor}`,
    ]);
    expect(mine(await search('sort=popularity'))[0]).to.equal(`KET-${actor}`);
    const all = await read('/products/search?q=blue', at);
    expect(all.facets.category.map((b: { value: string }) => b.value)).to.include.members([
      'kitchen',
      'office',
    ]);
    expect(all.facets.price).to.have.length(7);
    const kettle = await read(`/products/${products['Steel kettle']!.id}`, at);
    expect(kettle.popularity).to.equal(2);
  });

  it('answers audit history, state between two price changes, diff and events by actor', async () => {
    const lamp = products['Desk lamp']!.id;
    await command(`/products/${lamp}/price`, { price: { amount: 11000, currency: 'EUR' } });
    const between = new Date().toISOString();
    while (new Date().toISOString() === between) {
      // Spin past the millisecond, so the next change is strictly later than `between`.
    }
    await command(`/products/${lamp}/price`, { price: { amount: 10000, currency: 'EUR' } });
    const history = await read(`/audit/product/${lamp}/history`);
    expect(history.items.map((e: { type: string }) => e.type)).to.deep.equal([
      'ProductCreated',
      'ProductPriceChanged',
      'ProductPriceChanged',
    ]);
    const then = await read(`/audit/product/${lamp}/state?asOf=${between}`);
    expect(then.version).to.equal(1);
    expect(JSON.stringify(then.state)).to.contain('11000');
    const diff = await read(`/audit/product/${lamp}/diff?fromVersion=0&toVersion=2`);
    expect(
      diff.changes.find((c: { path: string }) => c.path.endsWith('price.amount')),
    ).to.deep.include({ before: 12000, after: 10000 });
    expect(diff.events).to.have.length(2);
    const mine = await read(`/audit/events?actor=${actor}&eventType=ProductPriceChanged`);
    expect(
      mine.items.map((e: { data: { price: { amount: number } } }) => e.data.price.amount),
    ).to.deep.equal([10000, 11000]);
    await read(`/audit/product/${lamp}/state?asOf=2000-01-01`, lastPosition, 404);
  });

  it('answers 503 with Retry-After for a position the read models cannot reach', async () => {
    const res = await sys.query.get('/products?minPosition=7fffffffffffffff');
    expect(res.status).to.equal(503);
    expect(res.headers.get('retry-after')).to.match(/^\d+$/);
  });
});
