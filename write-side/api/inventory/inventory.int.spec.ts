import { expect } from 'chai';
import request from 'supertest';
import { expectProblem, fieldsOf, openApiFixture, type ApiFixture } from '../command-app.fixtures';

describe('command API: inventory', () => {
  let f: ApiFixture;
  let sku: string;
  beforeEach(async () => {
    f = openApiFixture();
    sku = 'INV-1';
    await f.product({ sku });
  });
  afterEach(() => f.close());

  it('POST /inventory/:sku/receipts receives stock: 200, ETag, metadata', async () => {
    const res = await request(f.app)
      .post(`/inventory/${sku}/receipts`)
      .set('X-Actor', 'warehouse-7')
      .send({ quantity: 40, reference: 'PO-1' })
      .expect(200);
    expect(res.body).to.include({ id: sku, streamRevision: 0 });
    expect(res.headers.etag).to.equal('"0"');
    expect(res.headers).not.to.have.property('location');
    const [event] = await f.streamEvents(`stock-${sku}`);
    expect(event?.data).to.deep.equal({ sku, quantity: 40, reference: 'PO-1' });
    expect(event?.metadata.actor).to.equal('warehouse-7');
  });

  it('receipts: 404 for a SKU no product has, 400 for a bad SKU or quantity, nothing appended', async () => {
    const before = await f.eventCount();
    expectProblem(
      await request(f.app).post('/inventory/NOBODY/receipts').send({ quantity: 1 }),
      404,
    );
    const badSku = await request(f.app).post('/inventory/-x/receipts').send({ quantity: 1 });
    expect(fieldsOf(expectProblem(badSku, 400))).to.deep.equal(['sku']);
    for (const quantity of [0, -1, 1_000_001, 2.5, '5', null, [1]]) {
      const res = await request(f.app).post(`/inventory/${sku}/receipts`).send({ quantity });
      expect(
        fieldsOf(expectProblem(res, 400)),
        `quantity ${JSON.stringify(quantity)}`,
      ).to.deep.equal(['quantity']);
    }
    const missing = await request(f.app).post(`/inventory/${sku}/receipts`).send({});
    expect(fieldsOf(expectProblem(missing, 400))).to.deep.equal(['quantity']);
    const extra = await request(f.app)
      .post(`/inventory/${sku}/receipts`)
      .send({ quantity: 1, onHand: 9 });
    expect(fieldsOf(expectProblem(extra, 400))).to.deep.equal(['onHand']);
    expect(await f.eventCount()).to.equal(before);
  });

  it('POST /inventory/:sku/adjustments adjusts both ways; below zero is 409 insufficient-stock', async () => {
    await request(f.app).post(`/inventory/${sku}/receipts`).send({ quantity: 10 }).expect(200);
    await request(f.app)
      .post(`/inventory/${sku}/adjustments`)
      .send({ quantity: -4, reason: 'damaged' })
      .expect(200);
    const up = await request(f.app)
      .post(`/inventory/${sku}/adjustments`)
      .send({ quantity: 2, reason: 'recount' });
    expect(up.body.streamRevision).to.equal(2);
    const below = await request(f.app)
      .post(`/inventory/${sku}/adjustments`)
      .send({ quantity: -9, reason: 'lost' });
    expectProblem(below, 409, 'insufficient-stock');
    const { state } = await f.handler().load('stock', sku);
    expect(state.onHand).to.equal(8);
  });

  it('adjustments: 404 without a stock item, 412 on a stale If-Match, 400 for zero or no reason', async () => {
    expectProblem(
      await request(f.app).post(`/inventory/${sku}/adjustments`).send({ quantity: 1, reason: 'r' }),
      404,
    );
    await request(f.app).post(`/inventory/${sku}/receipts`).send({ quantity: 10 }).expect(200);
    const stale = await request(f.app)
      .post(`/inventory/${sku}/adjustments`)
      .set('If-Match', '"5"')
      .send({ quantity: 1, reason: 'r' });
    expectProblem(stale, 412);
    const zero = await request(f.app)
      .post(`/inventory/${sku}/adjustments`)
      .send({ quantity: 0, reason: 'r' });
    expect(fieldsOf(expectProblem(zero, 400))).to.deep.equal(['quantity']);
    const noReason = await request(f.app)
      .post(`/inventory/${sku}/adjustments`)
      .send({ quantity: 1 });
    expect(fieldsOf(expectProblem(noReason, 400))).to.deep.equal(['reason']);
    expect(await f.streamEvents(`stock-${sku}`)).to.have.length(1);
  });
});
