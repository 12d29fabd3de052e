import { expect } from 'chai';
import request from 'supertest';
import { newId } from '../../shared-kernel/ids';
import { expectProblem, openApiFixture, type ApiFixture } from './command-app.fixtures';

describe('command API: If-Match as RFC 9110 has it', () => {
  let f: ApiFixture;
  beforeEach(() => (f = openApiFixture()));
  afterEach(() => f.close());

  const patch = (id: string, ifMatch: string, name = 'Big kettle') =>
    request(f.app).patch(`/products/${id}`).set('If-Match', ifMatch).send({ name });

  it('* matches any existing product, and is 412 for a missing one or a creation', async () => {
    const id = await f.product();
    const ok = await patch(id, '*');
    expect(ok.status, JSON.stringify(ok.body)).to.equal(200);
    expect(ok.headers.etag).to.equal('"1"');
    const count = await f.eventCount();
    expectProblem(await patch(newId(), '*'), 412, 'precondition-failed');
    const create = await request(f.app)
      .post('/products')
      .set('If-Match', '*')
      .send({
        sku: 'IFM-1',
        name: 'Mug',
        category: 'kitchen',
        price: { amount: 1, currency: 'EUR' },
      });
    expectProblem(create, 412, 'precondition-failed');
    expect(await f.eventCount()).to.equal(count);
  });

  it('a weak tag never matches (412), a list matches when one strong tag does', async () => {
    const id = await f.product();
    expectProblem(await patch(id, 'W/"0"'), 412, 'precondition-failed');
    expectProblem(await patch(id, '"4", W/"0"'), 412, 'precondition-failed');
    await patch(id, 'W/"0", "0"').expect(200);
    await patch(id, '"7", "1", "9"', 'Bigger kettle').expect(200);
    expectProblem(await patch(id, '"opaque"'), 412, 'precondition-failed');
  });

  it('a malformed value is still 400 naming If-Match', async () => {
    const id = await f.product();
    for (const raw of ['3', '"3', 'W/3', '*, "1"', '"1" "2"']) {
      const problem = expectProblem(await patch(id, raw), 400);
      expect(
        problem.errors?.map((e) => e.field),
        raw,
      ).to.deep.equal(['If-Match']);
    }
  });
});
