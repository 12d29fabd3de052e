import { expect } from 'chai';
import request from 'supertest';
import type { RecordedEvent } from '../../../shared-kernel/events/envelope';
import { newId } from '../../../shared-kernel/ids';
import { address, openApiFixture, type ApiFixture } from '../command-app.fixtures';

const WAVES = 20;
const PER_WAVE = 12;

interface ProductFacts {
  price: number;
  status: 'active' | 'discontinued';
}

interface PlacedOrder {
  orderId: string;
  position: string;
  lines: { productId: string; unitPrice: { amount: number } }[];
  /** Each product's facts in force just before the order's position, from the log itself. */
  inForce: Map<string, ProductFacts>;
}

function placedOrders(log: RecordedEvent[]): PlacedOrder[] {
  const current = new Map<string, ProductFacts>();
  const placed: PlacedOrder[] = [];
  for (const event of log) {
    const data = event.data as { productId: string; price: { amount: number } };
    if (event.type === 'OrderPlaced') {
      const order = event.data as Pick<PlacedOrder, 'orderId' | 'lines'>;
      placed.push({ ...order, position: event.position, inForce: new Map(current) });
    }
    if (event.type === 'ProductCreated' || event.type === 'ProductPriceChanged') {
      const status = current.get(data.productId)?.status ?? 'active';
      current.set(data.productId, { status, price: data.price.amount });
    }
    if (event.type === 'ProductDiscontinued') {
      current.set(data.productId, { ...current.get(data.productId)!, status: 'discontinued' });
    }
  }
  return placed;
}

describe('command API: an order carries the product facts in force where it lands in the log (price changes and a discontinuation racing placements)', function () {
  this.timeout(120_000);
  let f: ApiFixture;
  before(() => (f = openApiFixture()));
  after(() => f.close());

  it(`${WAVES} waves of ${PER_WAVE} concurrent placements, each racing a price change, one a discontinuation`, async () => {
    const moving = await f.product({ amount: 1000 });
    const closing = await f.product({ amount: 500 });
    const steady = await f.product({ amount: 700 });
    const place = (i: number) =>
      request(f.app)
        .post('/orders')
        .send({
          customerId: newId(),
          lines: [
            { productId: i % 3 === 0 ? moving : steady, quantity: 1 },
            { productId: i % 2 ? closing : steady, quantity: 1 },
          ],
          shippingAddress: address,
        });
    const answers: request.Response[] = [];
    // Waves, so each price change races a handful of placements, not every one still in flight.
    for (let wave = 0; wave < WAVES; wave += 1) {
      const work = Array.from({ length: PER_WAVE }, (_, i) => place(wave * PER_WAVE + i));
      const price = { amount: 1001 + wave, currency: 'EUR' };
      work.splice(
        PER_WAVE / 2,
        0,
        request(f.app).post(`/products/${moving}/price`).send({ price }),
      );
      if (wave === WAVES / 2) {
        work.splice(PER_WAVE / 3, 0, request(f.app).post(`/products/${closing}/discontinue`));
      }
      answers.push(...(await Promise.all(work)));
    }

    const accepted = new Set<string>();
    const refusals = new Map<string, number>();
    for (const answer of answers) {
      expect([200, 201, 409], JSON.stringify(answer.body)).to.include(answer.status);
      if (answer.status === 201) accepted.add(answer.body.id as string);
      if (answer.status === 409) {
        const type = answer.body.type as string;
        refusals.set(type, (refusals.get(type) ?? 0) + 1);
      }
    }
    const log = await f.allEvents();
    const rejected = new Set(
      log
        .filter((e) => e.type === 'OrderRejected')
        .map((e) => (e.data as { orderId: string }).orderId),
    );
    const orders = placedOrders(log);
    const outOfDate = orders.filter(({ lines, inForce }) =>
      lines.some((line) => {
        const facts = inForce.get(line.productId)!;
        return facts.status !== 'active' || facts.price !== line.unitPrice.amount;
      }),
    );
    const closingAfterDiscontinuation = outOfDate.filter(
      (o) =>
        o.inForce.get(closing)!.status === 'discontinued' &&
        o.lines.some((line) => line.productId === closing),
    );
    const summary = JSON.stringify({
      accepted: accepted.size,
      refusals: Object.fromEntries(refusals),
      outOfDate: outOfDate.length,
      closingAfterDiscontinuation: closingAfterDiscontinuation.length,
    });

    // The race happened: orders landed with facts that were no longer in force...
    expect(outOfDate.length, summary).to.be.greaterThan(0);
    expect(refusals.get('product-changed'), summary).to.equal(outOfDate.length);
    // ...each one was answered 409 and rejected, never 201.
    const wronglyKept = outOfDate.filter(
      (o) => accepted.has(o.orderId) || !rejected.has(o.orderId),
    );
    expect(
      wronglyKept.map((o) => o.orderId),
      summary,
    ).to.deep.equal([]);
    // Every order answered 201 carries exactly the facts in force where it landed.
    const acceptedOrders = orders.filter((o) => accepted.has(o.orderId));
    expect(acceptedOrders.length, summary).to.equal(accepted.size);
    expect(accepted.size, summary).to.be.greaterThan((WAVES * PER_WAVE) / 4);
  });
});
