import { expect } from 'chai';
import request from 'supertest';
import { newId } from '../../../shared-kernel/ids';
import { expectProblem, fieldsOf, openApiFixture, type ApiFixture } from '../command-app.fixtures';

const valid = () => ({
  sku: `K-${newId().slice(-8)}`,
  name: 'Kettle',
  description: 'Boils water.\nQuickly.',
  category: 'kitchen',
  price: { amount: 2999, currency: 'EUR' },
  attributes: { colour: 'red' },
});

describe('command API: POST /products refuses bad input, naming the field, appending nothing', () => {
  let f: ApiFixture;
  beforeEach(() => (f = openApiFixture()));
  afterEach(() => f.close());

  const invalid: [string, (b: Record<string, unknown>) => unknown, string[]][] = [
    ['missing sku', ({ sku: _s, ...b }) => b, ['sku']],
    ['bad sku', (b) => ({ ...b, sku: '-bad sku' }), ['sku']],
    ['name too long', (b) => ({ ...b, name: 'n'.repeat(201) }), ['name']],
    ['blank name', (b) => ({ ...b, name: '   ' }), ['name']],
    ['description too long', (b) => ({ ...b, description: 'd'.repeat(5001) }), ['description']],
    ['null description', (b) => ({ ...b, description: null }), ['description']],
    ['price as a string', (b) => ({ ...b, price: '12' }), ['price']],
    [
      'amount as a string',
      (b) => ({ ...b, price: { amount: '12', currency: 'EUR' } }),
      ['price.amount'],
    ],
    [
      'negative amount',
      (b) => ({ ...b, price: { amount: -1, currency: 'EUR' } }),
      ['price.amount'],
    ],
    [
      'fractional amount',
      (b) => ({ ...b, price: { amount: 1.5, currency: 'EUR' } }),
      ['price.amount'],
    ],
    ['huge amount', (b) => ({ ...b, price: { amount: 1e13, currency: 'EUR' } }), ['price.amount']],
    [
      'lower-case currency',
      (b) => ({ ...b, price: { amount: 1, currency: 'eur' } }),
      ['price.currency'],
    ],
    [
      'unknown price field',
      (b) => ({ ...b, price: { amount: 1, currency: 'EUR', tax: 1 } }),
      ['price.tax'],
    ],
    [
      '51 attributes',
      (b) => ({
        ...b,
        attributes: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v'])),
      }),
      ['attributes'],
    ],
    ['non-string attribute', (b) => ({ ...b, attributes: { size: 3 } }), ['attributes']],
    ['productId not a UUID', (b) => ({ ...b, productId: 'p-1' }), ['productId']],
    ['unknown fields', (b) => ({ ...b, stock: 5, owner: 'x' }), ['owner', 'stock']],
    ['operator object', (b) => ({ ...b, category: { $gt: '' } }), ['category']],
  ];
  for (const [what, mutate, fields] of invalid) {
    it(`POST /products: 400 naming the field for ${what}, nothing appended`, async () => {
      const res = await request(f.app)
        .post('/products')
        .send(mutate(valid()) as object);
      expect(fieldsOf(expectProblem(res, 400, 'validation-failed'))).to.deep.equal(fields);
      expect(await f.eventCount()).to.equal(0);
    });
  }

  it('POST /products: 413 over the body limit, 400 malformed JSON, 415 not JSON', async () => {
    const big = await request(f.app)
      .post('/products')
      .send({ ...valid(), description: 'x'.repeat(70_000) });
    expectProblem(big, 413, 'payload-too-large');
    const broken = await request(f.app).post('/products').type('json').send('{"sku": "A",');
    expect(fieldsOf(expectProblem(broken, 400))).to.deep.equal(['body']);
    expectProblem(await request(f.app).post('/products').type('form').send('sku=A'), 415);
    expectProblem(await request(f.app).post('/products').send([valid()]), 400);
    expect(await f.eventCount()).to.equal(0);
  });
});
