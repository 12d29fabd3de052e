import { expect } from 'chai';
import request from 'supertest';
import { newId } from '../../shared-kernel/ids';
import { commandsOf, openQueryFixture, type QueryFixture } from '../query-app.fixtures';

describe('query API: orders, inventory and temporal audit queries (real SQLite read models)', function () {
  this.timeout(30_000);
  let fx: QueryFixture;
  let productId: string;
  const customer = newId();
  const orderIds: string[] = [];

  before(async () => {
    fx = await openQueryFixture();
    const cmd = commandsOf(fx);
    fx.setClock('2025-02-01T10:00:00.000Z');
    productId = (
      await cmd.createProduct(
        { sku: 'KET-1', name: 'Kettle', category: 'kitchen', amount: 2000 },
        'alice',
      )
    ).id;
    fx.setClock('2025-02-02T10:00:00.000Z');
    await cmd.changePrice(productId, 2500, 'bob');
    fx.setClock('2025-02-03T10:00:00.000Z');
    await cmd.changePrice(productId, 3000, 'alice');
    await cmd.receive('KET-1', 5);
    for (let i = 0; i < 5; i++) {
      fx.setClock(`2025-02-1${i}T10:00:00.000Z`);
      orderIds.push((await cmd.placeOrder(customer, [{ productId, quantity: 1 }])).id);
    }
    await cmd.post(`/orders/${orderIds[1]}/cancellation`, { reason: 'changed my mind' });
    await fx.project();
  });
  after(() => fx.close());

  it('answers an order with lines, total and status history, and 404 for an unknown one', async () => {
    const res = await request(fx.app).get(`/orders/${orderIds[1]}`).expect(200);
    expect(res.body).to.include({
      orderId: orderIds[1],
      customerId: customer,
      status: 'cancelled',
    });
    expect(res.body.lines[0]).to.include({ productId, sku: 'KET-1', quantity: 1 });
    expect(res.body.total).to.deep.equal({ amount: 3000, currency: 'EUR' });
    expect(res.body.statusHistory.map((s: { status: string }) => s.status)).to.deep.equal([
      'placed',
      'cancelled',
    ]);
    await request(fx.app).get(`/orders/${newId()}`).expect(404);
  });

  it("lists a customer's orders newest first, by status, in pages", async () => {
    const all: string[] = [];
    let cursor: string | null = null;
    do {
      const res: request.Response = await request(fx.app)
        .get(`/customers/${customer}/orders?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
        .expect(200);
      all.push(...res.body.items.map((o: { orderId: string }) => o.orderId));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(all).to.deep.equal([...orderIds].reverse());
    const placed = await request(fx.app)
      .get(`/customers/${customer}/orders?status=cancelled`)
      .expect(200);
    expect(placed.body.items.map((o: { orderId: string }) => o.orderId)).to.deep.equal([
      orderIds[1],
    ]);
    const none = await request(fx.app).get(`/customers/${newId()}/orders`).expect(200);
    expect(none.body).to.deep.equal({ items: [], nextCursor: null });
  });

  it('answers stock levels by SKU', async () => {
    const res = await request(fx.app).get('/inventory/KET-1').expect(200);
    expect(res.body).to.include({ sku: 'KET-1', onHand: 5, reserved: 0, available: 5 });
    await request(fx.app).get('/inventory/NOPE-1').expect(404);
  });

  it("answers an aggregate's history in order, within a time range", async () => {
    const res = await request(fx.app).get(`/audit/product/${productId}/history`).expect(200);
    expect(
      res.body.items.map((e: { type: string; version: number; actor: string }) => [
        e.version,
        e.type,
        e.actor,
      ]),
    ).to.deep.equal([
      [0, 'ProductCreated', 'alice'],
      [1, 'ProductPriceChanged', 'bob'],
      [2, 'ProductPriceChanged', 'alice'],
    ]);
    expect(res.body.items[1]).to.include.keys('occurredAt', 'correlationId', 'causationId', 'data');
    // The event store's own time beside the command's: recorded now, occurred in 2025.
    expect(res.body.items[1].occurredAt).to.equal('2025-02-02T10:00:00.000Z');
    expect(Date.parse(res.body.items[1].recordedAt)).to.be.greaterThan(Date.parse('2026-01-01'));
    const ranged = await request(fx.app)
      .get(`/audit/product/${productId}/history?from=2025-02-02&to=2025-02-02T23:59:59Z`)
      .expect(200);
    expect(ranged.body.items.map((e: { version: number }) => e.version)).to.deep.equal([1]);
    await request(fx.app).get(`/audit/product/${newId()}/history`).expect(404);
  });

  it('answers the state as of a time between two price changes, or at a version; 404 before it existed', async () => {
    const between = await request(fx.app)
      .get(`/audit/product/${productId}/state?asOf=2025-02-02T12:00:00Z`)
      .expect(200);
    expect(between.body).to.include({ version: 1, occurredAt: '2025-02-02T10:00:00.000Z' });
    expect(between.body.recordedAt).to.be.a('string').and.not.equal(between.body.occurredAt);
    expect(JSON.stringify(between.body.state)).to.contain('2500');
    const first = await request(fx.app)
      .get(`/audit/product/${productId}/state?version=0`)
      .expect(200);
    expect(JSON.stringify(first.body.state)).to.contain('2000');
    await request(fx.app)
      .get(`/audit/product/${productId}/state?asOf=2025-01-31T00:00:00Z`)
      .expect(404);
    await request(fx.app).get(`/audit/product/${productId}/state?version=9`).expect(404);
    const both = await request(fx.app)
      .get(`/audit/product/${productId}/state?version=1&asOf=2025-02-02`)
      .expect(400);
    expect(both.body.errors[0].field).to.equal('asOf');
  });

  it('diffs two versions: changed fields with before and after, and the events in between', async () => {
    const res = await request(fx.app)
      .get(`/audit/product/${productId}/diff?fromVersion=0&toVersion=2`)
      .expect(200);
    const price = res.body.changes.find((c: { path: string }) => c.path.includes('price.amount'));
    expect(price).to.deep.include({ before: 2000, after: 3000 });
    expect(res.body.events.map((e: { version: number }) => e.version)).to.deep.equal([1, 2]);
    expect(res.body.to).to.have.keys('version', 'occurredAt', 'recordedAt');
    const backwards = await request(fx.app)
      .get(`/audit/product/${productId}/diff?fromVersion=2&toVersion=0`)
      .expect(400);
    expect(backwards.body.errors[0].field).to.equal('toVersion');
  });

  it('lists events across aggregates newest first, by actor, event type, aggregate type and time', async () => {
    const byBob = await request(fx.app).get('/audit/events?actor=bob').expect(200);
    expect(byBob.body.items.map((e: { type: string }) => e.type)).to.deep.equal([
      'ProductPriceChanged',
    ]);
    const orders = await request(fx.app).get('/audit/events?type=order&limit=3').expect(200);
    const times = orders.body.items.map((e: { occurredAt: string }) => e.occurredAt);
    expect(times).to.deep.equal([...times].sort().reverse());
    expect(
      orders.body.items.every((e: { aggregateType: string }) => e.aggregateType === 'order'),
    ).to.equal(true);
    const next = await request(fx.app)
      .get(`/audit/events?type=order&limit=3&cursor=${orders.body.nextCursor}`)
      .expect(200);
    expect(next.body.items.length).to.equal(3);
    expect(next.body.items[0].occurredAt <= times[2]).to.equal(true);
    const placed = await request(fx.app)
      .get('/audit/events?eventType=OrderPlaced&from=2025-02-12&to=2025-02-13T23:00:00Z')
      .expect(200);
    expect(placed.body.items.map((e: { aggregateId: string }) => e.aggregateId)).to.deep.equal([
      orderIds[3],
      orderIds[2],
    ]);
  });
});
