import { expect } from 'chai';
import request from 'supertest';
import { AUDIT_STATE_EVERY } from '../../projections/read-models/audit';
import { commandsOf, openQueryFixture, type QueryFixture } from '../query-app.fixtures';

const CHANGES = 2 * AUDIT_STATE_EVERY + 50;
const minute = (n: number) => new Date(Date.parse('2025-04-01T00:00:00.000Z') + n * 60_000);
/** The price after version v: created at 1000, then version v sets 1000 + v. */
const priceAt = (version: number) => 1000 + version;

/**
 * A product with more history than one state checkpoint covers: every answer must be the one
 * a whole fold would give, wherever the version falls between checkpoints.
 */
describe('temporal audit queries over a history spanning several state checkpoints', function () {
  this.timeout(60_000);
  let fx: QueryFixture;
  let productId: string;

  before(async () => {
    fx = await openQueryFixture();
    const cmd = commandsOf(fx);
    fx.setClock(minute(0).toISOString());
    productId = (
      await cmd.createProduct({ sku: 'LONG-1', name: 'Long', category: 'c', amount: 1000 })
    ).id;
    for (let v = 1; v <= CHANGES; v++) {
      fx.setClock(minute(v).toISOString());
      await cmd.changePrice(productId, priceAt(v));
    }
    await fx.project();
  });
  after(() => fx.close());

  const state = async (query: string) =>
    (await request(fx.app).get(`/audit/product/${productId}/state?${query}`).expect(200)).body;

  it('answers the state at any version as a whole fold would', async () => {
    const last = CHANGES;
    for (const v of [
      0,
      1,
      AUDIT_STATE_EVERY - 1,
      AUDIT_STATE_EVERY,
      AUDIT_STATE_EVERY + 1,
      2 * AUDIT_STATE_EVERY + 7,
      last,
    ]) {
      const body = await state(`version=${v}`);
      expect(body.version, `v${v}`).to.equal(v);
      expect(body.state.price, `v${v}`).to.deep.equal({ amount: priceAt(v), currency: 'EUR' });
    }
    await request(fx.app)
      .get(`/audit/product/${productId}/state?version=${last + 1}`)
      .expect(404);
  });

  it('answers the state as of a time between two changes', async () => {
    const between = new Date(minute(AUDIT_STATE_EVERY + 42).getTime() + 30_000).toISOString();
    const body = await state(`asOf=${between}`);
    expect(body).to.include({ version: AUDIT_STATE_EVERY + 42 });
    expect(body.state.price.amount).to.equal(priceAt(AUDIT_STATE_EVERY + 42));
  });

  it('diffs across checkpoints and lists every event in between', async () => {
    const [from, to] = [AUDIT_STATE_EVERY - 5, 2 * AUDIT_STATE_EVERY + 5];
    const res = await request(fx.app)
      .get(`/audit/product/${productId}/diff?fromVersion=${from}&toVersion=${to}`)
      .expect(200);
    expect(res.body.changes).to.deep.equal([
      { path: 'price.amount', before: priceAt(from), after: priceAt(to) },
    ]);
    expect(res.body.events.map((e: { version: number }) => e.version)).to.deep.equal(
      Array.from({ length: to - from }, (_, i) => from + 1 + i),
    );
  });
});
