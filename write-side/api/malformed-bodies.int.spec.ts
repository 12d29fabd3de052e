import { expect } from 'chai';
import fc from 'fast-check';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import request from 'supertest';
import { newId } from '../../shared-kernel/ids';
import { openApiFixture, type ApiFixture } from './command-app.fixtures';
import { mutate, NEVER_VALID, routeCases, type RouteCase } from './malformed-bodies.fixtures';

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
    cases = routeCases(stocked.productId, stocked.sku, order.body.id as string);
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
