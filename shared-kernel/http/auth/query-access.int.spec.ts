import { expect } from 'chai';
import type { Express } from 'express';
import request from 'supertest';
import { openLruCache } from '../../cache/lru-cache';
import {
  commandsOf,
  openQueryFixture,
  type QueryFixture,
} from '../../../read-side/query-app.fixtures';
import { createQueryApp } from '../../../read-side/app';
import { OPEN_ACCESS } from './guards';
import { openAuthentication } from './access';
import {
  bearerHeaders,
  CALLER_NAMES,
  CUSTOMER_A,
  CUSTOMER_B,
  mismatches,
  type Caller,
} from './principals.fixtures';
import { hs256Settings, quietLogger } from './tokens.fixtures';

type Row = Record<Caller, number>;
const row = (defaults: number, cells: Partial<Row>): Row =>
  ({
    ...Object.fromEntries(CALLER_NAMES.map((c) => [c, defaults])),
    anonymous: 401,
    ...cells,
  }) as Row;

describe('query API access (HS256 tokens, real SQLite read models)', () => {
  let fixture: QueryFixture;
  let app: Express;
  let bearer: Record<Caller, string | null>;
  const ids = { product: '', sku: 'ACC-SKU-1', orderA: '', orderB: '' };

  before(async () => {
    fixture = await openQueryFixture();
    const commands = commandsOf(fixture);
    ids.product = (
      await commands.createProduct({ sku: ids.sku, name: 'Lamp', category: 'home', amount: 1500 })
    ).id;
    await commands.receive(ids.sku, 10);
    ids.orderA = (
      await commands.placeOrder(CUSTOMER_A, [{ productId: ids.product, quantity: 1 }])
    ).id;
    ids.orderB = (
      await commands.placeOrder(CUSTOMER_B, [{ productId: ids.product, quantity: 2 }])
    ).id;
    await fixture.project();
    app = createQueryApp({
      documents: fixture.documents,
      search: fixture.search,
      cache: openLruCache(),
      watcher: fixture.watcher,
      logger: quietLogger(),
      cacheTtlMs: 60_000,
      minPositionWaitMs: 500,
      access: {
        ...OPEN_ACCESS,
        authentication: await openAuthentication(hs256Settings()),
      },
    });
    bearer = await bearerHeaders();
  });
  after(async () => fixture.close());

  function get(path: string, caller: Caller) {
    const req = request(app).get(path);
    const header = bearer[caller];
    return header ? req.set('Authorization', header) : req;
  }

  it('answers every route x caller cell with the status the roles table gives', async () => {
    const unknownOrder = '01890000-0000-7000-8000-000000000000';
    const matrix: Array<[string, Row]> = [
      [`/products/${ids.product}`, row(200, {})],
      ['/products?category=home', row(200, {})],
      ['/products/search?q=lamp', row(200, {})],
      [`/inventory/${ids.sku}`, row(200, {})],
      [`/orders/${ids.orderA}`, row(403, { staff: 200, customerA: 200 })],
      [`/orders/${ids.orderB}`, row(403, { staff: 200, customerA: 404 })],
      [`/orders/${unknownOrder}`, row(403, { staff: 404, customerA: 404 })],
      [`/customers/${CUSTOMER_A}/orders`, row(403, { staff: 200, customerA: 200 })],
      [`/customers/${CUSTOMER_B}/orders`, row(403, { staff: 200, customerA: 404 })],
      [`/audit/order/${ids.orderA}/history`, row(403, { auditor: 200, customerA: 404 })],
      ['/audit/events?limit=5', row(403, { auditor: 200, customerA: 404 })],
      ['/livez', row(200, { anonymous: 200 })],
      ['/readyz', row(200, { anonymous: 200 })],
    ];
    const results = [];
    for (const [route, expected] of matrix) {
      for (const caller of CALLER_NAMES) {
        const res = await get(route, caller);
        results.push({ route, caller, expected: expected[caller], actual: res.status });
        if (res.status >= 400) {
          expect(res.headers['content-type'], `${route} as ${caller}`).to.match(/problem\+json/);
        }
      }
    }
    expect(mismatches(results)).to.deep.equal([]);
  });

  it("answers a customer asking for another's order exactly as for an unknown one", async () => {
    const other = await get(`/orders/${ids.orderB}`, 'customerA');
    expect(other.body).to.deep.equal({
      type: 'not-found',
      title: 'Not found',
      status: 404,
      detail: `order ${ids.orderB} does not exist`,
    });
    const own = await get(`/orders/${ids.orderA}`, 'customerA').expect(200);
    expect(own.body.customerId).to.equal(CUSTOMER_A);
    const list = await get(`/customers/${CUSTOMER_A}/orders`, 'customerA').expect(200);
    expect(list.body.items.map((o: { orderId: string }) => o.orderId)).to.deep.equal([ids.orderA]);
  });

  it('challenges a missing or bad token with WWW-Authenticate', async () => {
    const missing = await request(app).get(`/products/${ids.product}`).expect(401);
    expect(missing.headers['www-authenticate']).to.equal('Bearer realm="strata"');
    const bad = await request(app)
      .get(`/products/${ids.product}`)
      .set('Authorization', 'Bearer not.a.token')
      .expect(401);
    expect(bad.headers['www-authenticate']).to.match(
      /^Bearer realm="strata", error="invalid_token"/,
    );
    expect(bad.body.type).to.equal('unauthorized');
  });

  it('reports no warning on /readyz when tokens are on', async () => {
    const ready = await request(app).get('/readyz').expect(200);
    expect(ready.body).to.not.have.property('warnings');
  });
});
