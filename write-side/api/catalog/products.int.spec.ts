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

const valid = () => ({
  sku: `K-${newId().slice(-8)}`,
  name: 'Kettle',
  description: 'Boils water.\nQuickly.',
  category: 'kitchen',
  price: { amount: 2999, currency: 'EUR' },
  attributes: { colour: 'red' },
});

describe('command API: products', () => {
  let f: ApiFixture;
  beforeEach(() => (f = openApiFixture()));
  afterEach(() => f.close());

  it('POST /products creates: 201, ETag, Location, correlation echoed, metadata on every event', async () => {
    const body = { ...valid(), productId: newId() };
    const res = await request(f.app)
      .post('/products')
      .set('X-Correlation-Id', 'flow-42')
      .set('X-Actor', 'alice')
      .send(body)
      .expect(201);
    expect(res.body).to.have.keys('id', 'streamRevision', 'position');
    expect(res.body).to.include({ id: body.productId, streamRevision: 0 });
    expect(res.headers.etag).to.equal('"0"');
    expect(res.headers.location).to.equal(`/products/${body.productId}`);
    expect(res.headers['x-correlation-id']).to.equal('flow-42');
    const events = await f.allEvents();
    expect(events.map((e) => e.type)).to.deep.equal(['SkuReserved', 'ProductCreated']);
    expect(events[1]?.position).to.equal(res.body.position);
    const { productId, ...rest } = body;
    expect(events[1]?.data).to.deep.equal({ productId, ...rest });
    for (const event of events) {
      expect(event.metadata).to.include({
        correlationId: 'flow-42',
        actor: 'alice',
        occurredAt: NOW.toISOString(),
      });
    }
  });

  it('POST /products makes a UUID v7 id when none is given', async () => {
    const { sku, name, category, price } = valid();
    const res = await request(f.app)
      .post('/products')
      .send({ sku, name, category, price })
      .expect(201);
    expect(res.body.id).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
    const [, created] = await f.allEvents();
    expect(created?.data).to.deep.include({ description: '', attributes: {} });
  });

  it('POST /products: 409 duplicate-sku and 409 product-already-exists, nothing appended', async () => {
    const first = { ...valid(), productId: newId() };
    await request(f.app).post('/products').send(first).expect(201);
    const dup = await request(f.app)
      .post('/products')
      .send({ ...valid(), sku: first.sku });
    expectProblem(dup, 409, 'duplicate-sku');
    const again = await request(f.app)
      .post('/products')
      .send({ ...valid(), productId: first.productId });
    expectProblem(again, 409, 'product-already-exists');
    expect(await f.eventCount()).to.equal(2);
  });

  it('PATCH /products/:id updates; If-Match mismatch is 412; unknown is 404; bad id is 400', async () => {
    const id = await f.product();
    const ok = await request(f.app)
      .patch(`/products/${id}`)
      .set('If-Match', '"0"')
      .send({ name: 'Big kettle' });
    expect(ok.status).to.equal(200);
    expect(ok.headers.etag).to.equal('"1"');
    const stale = await request(f.app)
      .patch(`/products/${id}`)
      .set('If-Match', '"0"')
      .send({ name: 'Other' });
    expectProblem(stale, 412, 'precondition-failed');
    expectProblem(
      await request(f.app).patch(`/products/${id}`).set('If-Match', 'W/"1"').send({}),
      400,
    );
    expectProblem(
      await request(f.app).patch(`/products/${newId()}`).send({ name: 'x' }),
      404,
      'not-found',
    );
    const bad = await request(f.app).patch('/products/not-a-uuid').send({ name: 'x' });
    expect(fieldsOf(expectProblem(bad, 400))).to.deep.equal(['id']);
    expect(
      fieldsOf(
        expectProblem(await request(f.app).patch(`/products/${id}`).send({ sku: 'X' }), 400),
      ),
    ).to.deep.equal(['sku']);
    const events = await f.streamEvents(`product-${id}`);
    expect(events.map((e) => e.type)).to.deep.equal(['ProductCreated', 'ProductDetailsUpdated']);
    expect(events[1]?.data).to.deep.include({ productId: id, name: 'Big kettle' });
    expect(events[1]?.data).not.to.have.any.keys('description', 'category', 'attributes');
  });

  it('POST /products/:id/price changes it, the same price appends nothing, 404 and 400 otherwise', async () => {
    const id = await f.product({ amount: 1000 });
    const changed = await request(f.app)
      .post(`/products/${id}/price`)
      .send({ price: { amount: 1200, currency: 'USD' } });
    expect(changed.status).to.equal(200);
    expect(changed.body.streamRevision).to.equal(1);
    const same = await request(f.app)
      .post(`/products/${id}/price`)
      .send({ price: { amount: 1200, currency: 'USD' } });
    expect(same.body).to.deep.equal(changed.body);
    expectProblem(
      await request(f.app)
        .post(`/products/${newId()}/price`)
        .send({ price: { amount: 1, currency: 'EUR' } }),
      404,
    );
    expectProblem(await request(f.app).post(`/products/${id}/price`).send({}), 400);
    expect(await f.streamEvents(`product-${id}`)).to.have.length(2);
  });

  it('POST /products/:id/discontinue needs no body, is idempotent, and then blocks changes with 409', async () => {
    const id = await f.product();
    const first = await request(f.app).post(`/products/${id}/discontinue`).expect(200);
    const second = await request(f.app)
      .post(`/products/${id}/discontinue`)
      .send({ reason: 'again' })
      .expect(200);
    expect(second.body).to.deep.equal(first.body);
    expectProblem(
      await request(f.app)
        .post(`/products/${id}/price`)
        .send({ price: { amount: 5, currency: 'EUR' } }),
      409,
      'product-discontinued',
    );
    expectProblem(
      await request(f.app).patch(`/products/${id}`).send({ name: 'x' }),
      409,
      'product-discontinued',
    );
    expectProblem(
      await request(f.app)
        .post(`/products/${id}/discontinue`)
        .send({ reason: 'r'.repeat(1001) }),
      400,
    );
    expectProblem(await request(f.app).post(`/products/${newId()}/discontinue`), 404);
    expect((await f.streamEvents(`product-${id}`)).map((e) => e.type)).to.deep.equal([
      'ProductCreated',
      'ProductDiscontinued',
    ]);
  });

  it('answers unknown routes with 404 and wrong methods with 405 + Allow, as problems', async () => {
    expectProblem(await request(f.app).get('/nowhere'), 404, 'not-found');
    const wrong = await request(f.app).delete('/products');
    expectProblem(wrong, 405, 'method-not-allowed');
    expect(wrong.headers.allow).to.equal('POST');
    expectProblem(await request(f.app).get(`/products/${newId()}/price`), 405);
  });
});
