import { expect } from 'chai';
import request from 'supertest';
import { newId } from '../../../shared-kernel/ids';
import {
  expectProblem,
  fieldsOf,
  NOW,
  openApiFixture,
  type ApiFixture,
} from '../command-app.fixtures';

const address = {
  name: 'Ada',
  line1: '1 Main St',
  city: 'Berlin',
  postalCode: '10115',
  country: 'DE',
};

describe('command API: orders', () => {
  let f: ApiFixture;
  let productId: string;
  beforeEach(async () => {
    f = openApiFixture();
    productId = await f.product({ amount: 1500 });
  });
  afterEach(() => f.close());

  const place = (lines: unknown, extra: object = {}) =>
    request(f.app)
      .post('/orders')
      .send({ customerId: newId(), lines, shippingAddress: address, ...extra });

  async function placedOrder(): Promise<string> {
    const res = await place([{ productId, quantity: 2 }]).expect(201);
    return res.body.id as string;
  }

  it('POST /orders places an order priced from the catalog: 201, Location, ETag', async () => {
    const orderId = newId();
    const res = await place([{ productId, quantity: 2 }], { orderId }).expect(201);
    expect(res.body).to.include({ id: orderId, streamRevision: 0 });
    expect(res.headers.location).to.equal(`/orders/${orderId}`);
    const [event] = await f.streamEvents(`order-${orderId}`);
    expect(event?.type).to.equal('OrderPlaced');
    expect(event?.data).to.deep.include({
      total: { amount: 3000, currency: 'EUR' },
      placedAt: NOW.toISOString(),
    });
  });

  it('POST /orders: 409 unknown-product, product-discontinued, mixed-currencies; nothing appended', async () => {
    const before = await f.eventCount();
    const ghost = newId();
    const unknown = expectProblem(
      await place([{ productId: ghost, quantity: 1 }]),
      409,
      'unknown-product',
    );
    expect(unknown.detail).to.contain(ghost);
    const dollars = await f.product({ currency: 'USD' });
    expectProblem(
      await place([
        { productId, quantity: 1 },
        { productId: dollars, quantity: 1 },
      ]),
      409,
      'mixed-currencies',
    );
    await request(f.app).post(`/products/${productId}/discontinue`).expect(200);
    expectProblem(await place([{ productId, quantity: 1 }]), 409, 'product-discontinued');
    // The USD product (SKU + product) and the discontinuation; no order event.
    expect(await f.eventCount()).to.equal(before + 3);
  });

  const invalid: [string, unknown, object, string[]][] = [
    ['no lines', [], {}, ['lines']],
    [
      '101 lines',
      Array.from({ length: 101 }, () => ({ productId: newId(), quantity: 1 })),
      {},
      ['lines'],
    ],
    ['lines as an object', { productId: newId(), quantity: 1 }, {}, ['lines']],
    ['a line as a string', ['x'], {}, ['lines', 'lines[0]']],
    ['zero quantity', [{ productId: newId(), quantity: 0 }], {}, ['lines[0].quantity']],
    ['bad product id', [{ productId: 'p', quantity: 1 }], {}, ['lines[0].productId']],
    ['unknown line field', [{ productId: newId(), quantity: 1, price: 1 }], {}, ['lines[0].price']],
    ['bad customer', [{ productId: newId(), quantity: 1 }], { customerId: 7 }, ['customerId']],
    [
      'bad country',
      [{ productId: newId(), quantity: 1 }],
      { shippingAddress: { ...address, country: 'Germany' } },
      ['shippingAddress.country'],
    ],
    [
      'no city',
      [{ productId: newId(), quantity: 1 }],
      { shippingAddress: { ...address, city: undefined } },
      ['shippingAddress.city'],
    ],
  ];
  for (const [what, lines, extra, fields] of invalid) {
    it(`POST /orders: 400 for ${what}, naming ${fields.join(', ')}`, async () => {
      const before = await f.eventCount();
      expect(fieldsOf(expectProblem(await place(lines, extra), 400))).to.deep.equal(fields);
      expect(await f.eventCount()).to.equal(before);
    });
  }

  it('payments: 409 before confirmation, 404 unknown, 400 bad amount', async () => {
    const orderId = await placedOrder();
    const pay = (id: string, amount: unknown) =>
      request(f.app).post(`/orders/${id}/payments`).send({ amount, paymentReference: 'PAY-1' });
    expectProblem(
      await pay(orderId, { amount: 3000, currency: 'EUR' }),
      409,
      'order-not-confirmed',
    );
    expectProblem(await pay(newId(), { amount: 3000, currency: 'EUR' }), 404);
    expect(
      fieldsOf(expectProblem(await pay(orderId, { amount: -5, currency: 'EUR' }), 400)),
    ).to.deep.equal(['amount.amount']);
    expect(await f.streamEvents(`order-${orderId}`)).to.have.length(1);
  });

  it('payment of the right amount after confirmation, then shipment; wrong amount 409; cancel shipped 409', async () => {
    const orderId = await placedOrder();
    await f.handler().execute({
      aggregate: 'order',
      commandId: newId(),
      context: { correlationId: 'saga', actor: 'saga:fulfillment', occurredAt: NOW.toISOString() },
      command: { type: 'ConfirmOrder', data: { orderId, at: NOW.toISOString() } },
    });
    const pay = (amount: number) =>
      request(f.app)
        .post(`/orders/${orderId}/payments`)
        .send({ amount: { amount, currency: 'EUR' }, paymentReference: 'P' });
    expectProblem(await pay(2999), 409, 'payment-amount-mismatch');
    expect((await pay(3000).expect(200)).body.streamRevision).to.equal(2);
    const ship = await request(f.app)
      .post(`/orders/${orderId}/shipment`)
      .send({ carrier: 'DHL', trackingNumber: 'T1' })
      .expect(200);
    expect(ship.headers.etag).to.equal('"3"');
    expectProblem(
      await request(f.app).post(`/orders/${orderId}/cancellation`).send({ reason: 'late' }),
      409,
      'order-already-shipped',
    );
    expect((await f.streamEvents(`order-${orderId}`)).map((e) => e.type)).to.deep.equal([
      'OrderPlaced',
      'OrderConfirmed',
      'PaymentRecorded',
      'OrderShipped',
    ]);
  });

  it('shipment of an unpaid order is 409; cancellation works once, then appends nothing', async () => {
    const orderId = await placedOrder();
    expectProblem(
      await request(f.app)
        .post(`/orders/${orderId}/shipment`)
        .send({ carrier: 'DHL', trackingNumber: 'T' }),
      409,
      'order-not-paid',
    );
    expect(
      fieldsOf(
        expectProblem(
          await request(f.app).post(`/orders/${orderId}/shipment`).send({ carrier: 'DHL' }),
          400,
        ),
      ),
    ).to.deep.equal(['trackingNumber']);
    const first = await request(f.app)
      .post(`/orders/${orderId}/cancellation`)
      .send({ reason: 'changed mind' })
      .expect(200);
    const again = await request(f.app)
      .post(`/orders/${orderId}/cancellation`)
      .send({ reason: 'twice' });
    expect([200, 409]).to.include(again.status);
    expect(
      fieldsOf(
        expectProblem(await request(f.app).post(`/orders/${orderId}/cancellation`).send({}), 400),
      ),
    ).to.deep.equal(['reason']);
    expectProblem(
      await request(f.app).post(`/orders/${newId()}/cancellation`).send({ reason: 'r' }),
      404,
    );
    expect(first.body.streamRevision).to.equal(1);
    expect(await f.streamEvents(`order-${orderId}`)).to.have.length(2);
  });
});
