import { expect } from 'chai';
import request from 'supertest';
import { newId } from '../../../shared-kernel/ids';
import {
  address,
  expectProblem,
  fieldsOf,
  NOW,
  openApiFixture,
  type ApiFixture,
} from '../command-app.fixtures';

const LIMIT = 1_000_000_000_000;
const MAX_LINE = 1_000_000;

describe('command API: every order that can be placed can be paid, and only the same payment repeats', () => {
  let f: ApiFixture;
  beforeEach(() => (f = openApiFixture()));
  afterEach(() => f.close());

  const place = (lines: unknown) =>
    request(f.app).post('/orders').send({ customerId: newId(), lines, shippingAddress: address });
  const confirm = (orderId: string) =>
    f.handler().execute({
      aggregate: 'order',
      commandId: newId(),
      context: { correlationId: 'saga', actor: 'saga:fulfillment', occurredAt: NOW.toISOString() },
      command: { type: 'ConfirmOrder', data: { orderId, at: NOW.toISOString() } },
    });
  const pay = (orderId: string, amount: number, currency = 'EUR', paymentReference = 'PAY-1') =>
    request(f.app)
      .post(`/orders/${orderId}/payments`)
      .send({ amount: { amount, currency }, paymentReference });

  it('an order above the largest payment is 409 amount-limit-exceeded, per line and in total; nothing appended', async () => {
    const dear = await f.product({ amount: LIMIT });
    const half = await f.product({ amount: LIMIT / 2 + 1 });
    const before = await f.eventCount();
    const line = expectProblem(
      await place([{ productId: dear, quantity: 2 }]),
      409,
      'amount-limit-exceeded',
    );
    expect(line.detail).to.contain(dear);
    expectProblem(
      await place([
        { productId: dear, quantity: 1 },
        { productId: half, quantity: 1 },
      ]),
      409,
      'amount-limit-exceeded',
    );
    expect(await f.eventCount()).to.equal(before);
  });

  it('an order of exactly the largest payment is placed, confirmed and paid', async () => {
    const productId = await f.product({ amount: LIMIT / MAX_LINE });
    const placed = await place([{ productId, quantity: MAX_LINE }]).expect(201);
    const orderId = placed.body.id as string;
    await confirm(orderId);
    await pay(orderId, LIMIT).expect(200);
  });

  it('repeated lines for one product merge within the per-line limit, and are 400 past it', async () => {
    const productId = await f.product({ amount: 1 });
    const before = await f.eventCount();
    const many = Array.from({ length: 100 }, () => ({ productId, quantity: MAX_LINE }));
    const refused = expectProblem(await place(many), 400);
    expect(fieldsOf(refused)).to.deep.equal(['lines']);
    expect(await f.eventCount()).to.equal(before);
    const halves = [
      { productId, quantity: MAX_LINE / 2 },
      { productId, quantity: MAX_LINE / 2 },
    ];
    const placed = await place(halves).expect(201);
    const [event] = await f.streamEvents(`order-${placed.body.id as string}`);
    expect(
      (event!.data as { lines: { quantity: number }[] }).lines.map((l) => l.quantity),
    ).to.deep.equal([MAX_LINE]);
  });

  it('a repeat of a payment reference is a no-op only when identical; another amount or currency is 409', async () => {
    const productId = await f.product({ amount: 1500 });
    const orderId = (await place([{ productId, quantity: 2 }]).expect(201)).body.id as string;
    await confirm(orderId);
    await pay(orderId, 3000).expect(200);
    const count = await f.eventCount();
    await pay(orderId, 3000).expect(200);
    expectProblem(await pay(orderId, 2999), 409, 'payment-amount-mismatch');
    expectProblem(await pay(orderId, 3000, 'USD'), 409, 'payment-amount-mismatch');
    expectProblem(await pay(orderId, 3000, 'EUR', 'PAY-2'), 409, 'order-already-paid');
    expect(await f.eventCount()).to.equal(count);
  });
});
