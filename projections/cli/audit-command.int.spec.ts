import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import request from 'supertest';
import {
  commandsOf,
  openQueryFixture,
  type QueryFixture,
} from '../../read-side/query-app.fixtures';
import { childEnv } from '../../shared-kernel/config/child-env';

/** The CLI reads the same read models with the same query functions: same answers as HTTP. */
describe('strata audit (CLI over the read models)', function () {
  this.timeout(30_000);
  let fx: QueryFixture;
  let productId: string;
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, [path.join(__dirname, 'main.js'), 'audit', ...args], {
      env: childEnv(process.env, { STRATA_DATA_DIR: fx.dir, STRATA_LOG_FORMAT: 'json' }),
      encoding: 'utf8',
    });
  const sameAsHttp = async (args: string[], url: string) => {
    const run = cli(...args, '--json');
    expect(run.status, run.stderr).to.equal(0);
    const http = await request(fx.app).get(url).expect(200);
    expect(JSON.parse(run.stdout)).to.deep.equal(http.body);
    return http.body;
  };

  before(async () => {
    fx = await openQueryFixture();
    const cmd = commandsOf(fx);
    fx.setClock('2025-03-01T10:00:00.000Z');
    productId = (
      await cmd.createProduct(
        { sku: 'CLI-1', name: 'Clock', category: 'home', amount: 100 },
        'carol',
      )
    ).id;
    fx.setClock('2025-03-02T10:00:00.000Z');
    await cmd.changePrice(productId, 150, 'dave');
    await fx.project();
  });
  after(() => fx.close());

  it('history, state, diff and events answer as the HTTP routes do', async () => {
    const history = await sameAsHttp(
      ['history', 'product', productId],
      `/audit/product/${productId}/history`,
    );
    expect(history.items).to.have.length(2);
    const state = await sameAsHttp(
      ['state', 'product', productId, '--as-of', '2025-03-01T12:00:00Z'],
      `/audit/product/${productId}/state?asOf=2025-03-01T12:00:00Z`,
    );
    expect(state.version).to.equal(0);
    await sameAsHttp(
      ['diff', 'product', productId, '--from-version', '0', '--to-version', '1'],
      `/audit/product/${productId}/diff?fromVersion=0&toVersion=1`,
    );
    const events = await sameAsHttp(['events', '--actor', 'dave'], '/audit/events?actor=dave');
    expect(events.items.map((e: { type: string }) => e.type)).to.deep.equal([
      'ProductPriceChanged',
    ]);
  });

  it('exits 2 on usage errors and 1 naming what was not found', () => {
    expect(cli('state', 'product', productId).status).to.equal(2);
    expect(cli('history', 'sku', productId).status).to.equal(2);
    expect(cli('events', '--from', 'yesterday').status).to.equal(2);
    const missing = cli('state', 'product', productId, '--as-of', '2020-01-01');
    expect(missing.status).to.equal(1);
    expect(missing.stderr).to.contain('did not exist at 2020-01-01T00:00:00.000Z');
  });
});
