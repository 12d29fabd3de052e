import { expect } from 'chai';
import request from 'supertest';
import { newId } from '../../../shared-kernel/ids';
import { testContext } from '../../command-handling/command-handler.fixtures';
import { expectProblem, openApiFixture, type ApiFixture } from '../command-app.fixtures';

const CONTENDERS = 8;

describe('command API: a SKU is held only by the product that has it', () => {
  let f: ApiFixture;
  beforeEach(() => (f = openApiFixture()));
  afterEach(() => f.close());

  const body = (productId: string, sku: string) => ({
    productId,
    sku,
    name: 'Lamp',
    category: 'home',
    price: { amount: 900, currency: 'EUR' },
  });

  it(`${CONTENDERS} racing creates of one productId: the losers' SKUs stay free for other products and hold no stock`, async () => {
    const productId = newId();
    const skus = Array.from({ length: CONTENDERS }, (_, i) => `RACE-${i}-${newId().slice(-6)}`);
    const answers = await Promise.all(
      skus.map((sku) => request(f.app).post('/products').send(body(productId, sku))),
    );
    const won = answers.flatMap((a, i) => (a.status === 201 ? [skus[i]!] : []));
    expect(won).to.have.length(1);
    for (const answer of answers.filter((a) => a.status !== 201)) {
      expectProblem(answer, 409);
    }
    for (const sku of skus.filter((s) => s !== won[0])) {
      expectProblem(
        await request(f.app).post(`/inventory/${sku}/receipts`).send({ quantity: 5 }),
        404,
      );
      const reused = await request(f.app).post('/products').send(body(newId(), sku));
      expect(reused.status, JSON.stringify(reused.body)).to.equal(201);
      await request(f.app).post(`/inventory/${sku}/receipts`).send({ quantity: 5 }).expect(200);
    }
    expectProblem(
      await request(f.app).post('/products').send(body(newId(), won[0]!)),
      409,
      'duplicate-sku',
    );
  });

  it('a claim left by a create that never finished does not hold the SKU once its product has another', async () => {
    const winner = await f.product({ sku: 'FIRST-1' });
    // As a command API killed between the two appends would leave it: the SKU claimed for a
    // product id whose create then lost to another SKU.
    await f.handler().execute({
      aggregate: 'sku',
      command: { type: 'ReserveSku', data: { sku: 'LEFT-1', productId: winner } },
      commandId: newId(),
      context: testContext(),
    });
    expectProblem(
      await request(f.app).post('/inventory/LEFT-1/receipts').send({ quantity: 1 }),
      404,
    );
    await request(f.app).post('/products').send(body(newId(), 'LEFT-1')).expect(201);
    await request(f.app).post('/inventory/LEFT-1/receipts').send({ quantity: 1 }).expect(200);
  });
});
