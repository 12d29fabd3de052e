import { expect } from 'chai';
import request from 'supertest';
import { newId } from '../../ids';
import {
  ADDRESS,
  openCommandAccessFixture,
  type CommandAccessFixture,
} from './command-access.fixtures';
import {
  bearerHeaders,
  CALLER_NAMES,
  CUSTOMER_A,
  CUSTOMER_B,
  mismatches,
  type Caller,
} from './principals.fixtures';
import { hs256Settings } from './tokens.fixtures';

type Row = Record<Caller, number>;
const row = (defaults: number, cells: Partial<Row>): Row =>
  ({
    ...Object.fromEntries(CALLER_NAMES.map((c) => [c, defaults])),
    anonymous: 401,
    ...cells,
  }) as Row;

interface Cell {
  method: 'post' | 'patch' | 'get';
  path: string;
  body?: object;
}

describe('command API access (HS256 tokens, real SQLite event store)', () => {
  let fx: CommandAccessFixture;
  let bearer: Record<Caller, string | null>;
  before(async () => {
    fx = await openCommandAccessFixture(hs256Settings());
    bearer = await bearerHeaders();
  });
  after(async () => fx.close());

  const pay = { amount: { amount: 1000, currency: 'EUR' }, paymentReference: 'PAY-2' };
  const placeFor = async (customerId: string): Promise<Cell> => {
    const { productId } = await fx.stocked();
    const lines = [{ productId, quantity: 1 }];
    return {
      method: 'post',
      path: '/orders',
      body: { customerId, lines, shippingAddress: ADDRESS },
    };
  };
  // Each cell gets fresh aggregates, so one caller's success never changes another's answer.
  const routes: Array<[string, () => Promise<Cell>, Row]> = [
    [
      'create product',
      async () => ({
        method: 'post',
        path: '/products',
        body: {
          sku: `NEW-${newId().slice(-8)}`,
          name: 'Mug',
          category: 'kitchen',
          price: { amount: 500, currency: 'EUR' },
        },
      }),
      row(403, { catalog: 201, customerA: 404 }),
    ],
    [
      'update product',
      async () => ({
        method: 'patch',
        path: `/products/${(await fx.stocked()).productId}`,
        body: { name: 'Big kettle' },
      }),
      row(403, { catalog: 200, customerA: 404 }),
    ],
    [
      'change price',
      async () => ({
        method: 'post',
        path: `/products/${(await fx.stocked()).productId}/price`,
        body: { price: { amount: 1200, currency: 'EUR' } },
      }),
      row(403, { catalog: 200, customerA: 404 }),
    ],
    [
      'discontinue',
      async () => ({
        method: 'post',
        path: `/products/${(await fx.stocked()).productId}/discontinue`,
        body: {},
      }),
      row(403, { catalog: 200, customerA: 404 }),
    ],
    [
      'receive stock',
      async () => ({
        method: 'post',
        path: `/inventory/${(await fx.stocked()).sku}/receipts`,
        body: { quantity: 5 },
      }),
      row(403, { inventory: 200, customerA: 404 }),
    ],
    [
      'adjust stock',
      async () => ({
        method: 'post',
        path: `/inventory/${(await fx.stocked()).sku}/adjustments`,
        body: { quantity: -1, reason: 'count' },
      }),
      row(403, { inventory: 200, customerA: 404 }),
    ],
    ['place own order', () => placeFor(CUSTOMER_A), row(403, { staff: 201, customerA: 201 })],
    ["place another's order", () => placeFor(CUSTOMER_B), row(403, { staff: 201, customerA: 404 })],
    [
      'pay own order',
      async () => ({
        method: 'post',
        path: `/orders/${await fx.order(CUSTOMER_A, 'confirmed')}/payments`,
        body: pay,
      }),
      row(403, { staff: 200, customerA: 404 }),
    ],
    [
      'ship own order',
      async () => ({
        method: 'post',
        path: `/orders/${await fx.order(CUSTOMER_A, 'paid')}/shipment`,
        body: { carrier: 'DHL', trackingNumber: 'T1' },
      }),
      row(403, { staff: 200, customerA: 404 }),
    ],
    [
      'cancel own order',
      async () => ({
        method: 'post',
        path: `/orders/${await fx.order(CUSTOMER_A)}/cancellation`,
        body: { reason: 'changed mind' },
      }),
      row(403, { staff: 200, customerA: 200 }),
    ],
    [
      "cancel another's order",
      async () => ({
        method: 'post',
        path: `/orders/${await fx.order(CUSTOMER_B)}/cancellation`,
        body: { reason: 'x' },
      }),
      row(403, { staff: 200, customerA: 404 }),
    ],
    [
      'cancel unknown order',
      async () => ({
        method: 'post',
        path: `/orders/${newId()}/cancellation`,
        body: { reason: 'x' },
      }),
      row(403, { staff: 404, customerA: 404 }),
    ],
    ['unknown route', async () => ({ method: 'post', path: '/refunds', body: {} }), row(404, {})],
    [
      'liveness probe',
      async () => ({ method: 'get', path: '/livez' }),
      row(200, { anonymous: 200 }),
    ],
  ];

  it('answers every route x caller cell as the roles table says, appending only when allowed', async () => {
    const results = [];
    const appendedWhenRefused: string[] = [];
    for (const [route, prepare, expected] of routes) {
      for (const caller of CALLER_NAMES) {
        const cell = await prepare();
        const before = await fx.eventCount();
        let req = request(fx.app)[cell.method](cell.path);
        if (bearer[caller]) req = req.set('Authorization', bearer[caller]);
        const res = cell.body ? await req.send(cell.body) : await req;
        const appended = (await fx.eventCount()) - before;
        results.push({ route, caller, expected: expected[caller], actual: res.status });
        if (res.status >= 400 && appended !== 0) appendedWhenRefused.push(`${route} as ${caller}`);
        if (res.status < 300 && cell.method !== 'get') {
          expect(appended, `${route} as ${caller} appends`).to.be.greaterThan(0);
        }
      }
    }
    expect(mismatches(results)).to.deep.equal([]);
    expect(appendedWhenRefused).to.deep.equal([]);
  });

  it("refuses a customer's cancellation of another's order exactly as for an unknown order", async () => {
    const orderId = await fx.order(CUSTOMER_B);
    const res = await request(fx.app)
      .post(`/orders/${orderId}/cancellation`)
      .set('Authorization', bearer.customerA as string)
      .send({ reason: 'x' })
      .expect(404);
    expect(res.body.detail).to.equal(`order ${orderId} does not exist`);
  });

  it('a customer cannot choose the order id, so no answer tells whether an order exists', async () => {
    const taken = await fx.order(CUSTOMER_B);
    const answers = [];
    for (const orderId of [taken, newId()]) {
      const cell = await placeFor(CUSTOMER_A);
      const before = await fx.eventCount();
      const res = await request(fx.app)
        .post('/orders')
        .set('Authorization', bearer.customerA as string)
        .send({ ...cell.body, orderId });
      expect(await fx.eventCount()).to.equal(before);
      answers.push({ status: res.status, body: res.body as unknown });
    }
    expect(answers[0]).to.deep.equal(answers[1]);
    expect(answers[0]!.status).to.equal(400);
    expect(answers[0]!.body).to.deep.include({
      errors: [{ field: 'orderId', message: 'is chosen by the server for a customer' }],
    });
    // Staff may still bring their own id (an import, an upstream system's order).
    const staffCell = await placeFor(CUSTOMER_A);
    const orderId = newId();
    const placed = await request(fx.app)
      .post('/orders')
      .set('Authorization', bearer.staff as string)
      .send({ ...staffCell.body, orderId })
      .expect(201);
    expect(placed.body.id).to.equal(orderId);
  });
});
