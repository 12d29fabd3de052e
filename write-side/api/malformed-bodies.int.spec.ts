import { expect } from 'chai';
import fc from 'fast-check';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import request from 'supertest';
import { newId } from '../../shared-kernel/ids';
import { openApiFixture, type ApiFixture } from './api-fixture';

/** Values no field of any command accepts: wrong types, out of range, control characters. */
const NEVER_VALID: unknown[] = [
  null,
  true,
  false,
  1.5,
  -1e15,
  1e300,
  '',
  '   ',
  '\u0000',
  'ok\u0007',
  '\ud800',
  'x'.repeat(6000),
  [],
  [1],
  ['a'],
  { $gt: 1 },
  { $where: { x: 1 } },
  { a: 1 },
];

type Body = Record<string, unknown>;
interface RouteCase {
  method: 'post' | 'patch';
  path: string;
  valid: Body;
  /** Dotted paths to every field, so mutations reach nested ones too. */
  fields: string[];
  required: string[];
}

function routes(productId: string, sku: string, orderId: string): RouteCase[] {
  const money = { amount: 100, currency: 'EUR' };
  const address = { name: 'A', line1: 'B', line2: 'C', city: 'D', postalCode: 'E', country: 'DE' };
  const addressFields = Object.keys(address).map((k) => `shippingAddress.${k}`);
  return [
    {
      method: 'post',
      path: '/products',
      valid: {
        productId: newId(),
        sku: 'NEW-1',
        name: 'n',
        description: 'd',
        category: 'c',
        price: money,
        attributes: { a: 'b' },
      },
      fields: [
        'productId',
        'sku',
        'name',
        'description',
        'category',
        'price',
        'price.amount',
        'price.currency',
        'attributes',
      ],
      required: ['sku', 'name', 'category', 'price', 'price.amount', 'price.currency'],
    },
    {
      method: 'patch',
      path: `/products/${productId}`,
      valid: { name: 'n2', description: 'd2', category: 'c2', attributes: {} },
      fields: ['name', 'description', 'category', 'attributes'],
      required: [],
    },
    {
      method: 'post',
      path: `/products/${productId}/price`,
      valid: { price: { amount: 200, currency: 'EUR' } },
      fields: ['price', 'price.amount', 'price.currency'],
      required: ['price', 'price.amount', 'price.currency'],
    },
    {
      method: 'post',
      path: `/products/${productId}/discontinue`,
      valid: { reason: 'r' },
      fields: ['reason'],
      required: [],
    },
    {
      method: 'post',
      path: `/inventory/${sku}/receipts`,
      valid: { quantity: 5, reference: 'r' },
      fields: ['quantity', 'reference'],
      required: ['quantity'],
    },
    {
      method: 'post',
      path: `/inventory/${sku}/adjustments`,
      valid: { quantity: -1, reason: 'r' },
      fields: ['quantity', 'reason'],
      required: ['quantity', 'reason'],
    },
    {
      method: 'post',
      path: '/orders',
      valid: {
        orderId: newId(),
        customerId: newId(),
        lines: [{ productId, quantity: 1 }],
        shippingAddress: address,
      },
      fields: [
        'orderId',
        'customerId',
        'lines',
        'lines.0',
        'lines.0.productId',
        'lines.0.quantity',
        'shippingAddress',
        ...addressFields,
      ],
      required: [
        'customerId',
        'lines',
        'lines.0.productId',
        'lines.0.quantity',
        'shippingAddress',
        ...addressFields.filter((f) => !f.endsWith('line2')),
      ],
    },
    {
      method: 'post',
      path: `/orders/${orderId}/payments`,
      valid: { amount: money, paymentReference: 'p' },
      fields: ['amount', 'amount.amount', 'amount.currency', 'paymentReference'],
      required: ['amount', 'amount.amount', 'amount.currency', 'paymentReference'],
    },
    {
      method: 'post',
      path: `/orders/${orderId}/shipment`,
      valid: { carrier: 'c', trackingNumber: 't' },
      fields: ['carrier', 'trackingNumber'],
      required: ['carrier', 'trackingNumber'],
    },
    {
      method: 'post',
      path: `/orders/${orderId}/cancellation`,
      valid: { reason: 'r' },
      fields: ['reason'],
      required: ['reason'],
    },
  ];
}

/** A copy of `body` with the value at `path` replaced (or removed when `value` is undefined). */
function mutate(body: Body, path: string, value: unknown): Body {
  const copy = structuredClone(body);
  const keys = path.split('.');
  let node = copy as Record<string, unknown>;
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
  const last = keys[keys.length - 1] as string;
  if (value === undefined) delete node[last];
  else node[last] = value;
  return copy;
}

describe('command API: generated malformed bodies never cause a 5xx or an append', function () {
  this.timeout(120_000);
  let f: ApiFixture;
  let server: Server;
  let base: string;
  let cases: RouteCase[];
  before(async () => {
    f = openApiFixture();
    const stocked = await f.stockedProduct(50);
    const order = await request(f.app)
      .post('/orders')
      .send({
        customerId: newId(),
        lines: [{ productId: stocked.productId, quantity: 1 }],
        shippingAddress: { name: 'A', line1: 'B', city: 'C', postalCode: 'D', country: 'DE' },
      })
      .expect(201);
    cases = routes(stocked.productId, stocked.sku, order.body.id as string);
    server = f.app.listen(0);
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await new Promise((resolve) => server.close(resolve));
    await f.close();
  });

  async function send(route: RouteCase, body: unknown, raw = false) {
    const before = await f.eventCount();
    const req = request(base)[route.method](route.path).type('json');
    const res = await (raw ? req.send(body as string) : req.send(JSON.stringify(body)));
    expect(
      res.status,
      `${route.path} ${String(raw ? body : JSON.stringify(body)).slice(0, 300)}`,
    ).to.be.within(400, 499);
    expect(res.headers['content-type']).to.match(/^application\/problem\+json/);
    expect(await f.eventCount(), 'nothing appended').to.equal(before);
    return res;
  }

  it('every field set to a value no field accepts: 400 naming that field', async () => {
    for (const route of cases) {
      for (const field of route.fields) {
        for (const value of NEVER_VALID) {
          const res = await send(route, mutate(route.valid, field, value));
          const named = (res.body.errors as { field: string }[]).map((e) =>
            e.field.replace(/\[(\d+)\]/g, '.$1'),
          );
          expect(
            named.some(
              (n) => n === field || n.startsWith(`${field}.`) || field.startsWith(`${n}.`),
            ),
            `${route.path} ${field}=${JSON.stringify(value)} -> ${named.join(',')}`,
          ).to.equal(true);
        }
      }
    }
  });

  it('each required field left out, and unknown or prototype fields added: 400', async () => {
    for (const route of cases) {
      for (const field of route.required) await send(route, mutate(route.valid, field, undefined));
      for (const extra of ['x_unknown', '$where', '__proto__', 'constructor']) {
        await send(
          route,
          `{${JSON.stringify(extra)}:1,${JSON.stringify(route.valid).slice(1)}`,
          true,
        );
      }
    }
  });

  it('fast-check: random field values, random extra keys and random bodies stay 4xx with no append', async () => {
    const anyJson = fc.jsonValue({ maxDepth: 3 });
    for (const route of cases) {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...route.fields),
          fc.oneof(
            fc.constantFrom(...NEVER_VALID),
            fc.string({ unit: 'binary', minLength: 5001, maxLength: 6000 }),
            fc.double({ noInteger: true }),
            fc.constantFrom(1e13, 2 ** 53, -(2 ** 53), -1_000_001),
          ),
          fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }),
          async (field, value, key) => {
            await send(route, mutate(route.valid, field, value));
            await send(route, { ...route.valid, [`x_${key}`]: value });
          },
        ),
        { numRuns: 100 },
      );
      await fc.assert(
        fc.asyncProperty(anyJson, async (body) => {
          const res = await request(base)
            [route.method](route.path)
            .type('json')
            .send(JSON.stringify(body));
          expect(res.status, JSON.stringify(body)).to.be.below(500);
        }),
        { numRuns: 50 },
      );
    }
  });
});
