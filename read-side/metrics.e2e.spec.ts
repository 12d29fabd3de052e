import { expect } from 'chai';
import { scrape } from '../shared-kernel/metrics/scrape.fixtures';
import { newId } from '../shared-kernel/ids';
import {
  runningSystem,
  settled,
  smallShop,
  type RunningSystem,
} from '../test/support/running-system';

describe('query API process: /metrics after traffic, and SIGTERM', function () {
  this.timeout(60_000);
  let system: RunningSystem;
  before(() => (system = runningSystem()));
  after(() => system.stopAll());

  it('counts requests by route template and cache hits and misses, then exits 0 on SIGTERM', async () => {
    const commands = await system.start('command');
    const worker = await system.start('worker');
    const [first] = await smallShop(commands.base, 2);
    await settled(worker.base);
    const query = await system.start('query');
    const get = async (url: string) => (await fetch(`${query.base}${url}`)).status;

    expect(await get(`/products/${first}`)).to.equal(200);
    expect(await get(`/products/${first}`)).to.equal(200);
    expect(await get(`/products/${newId()}`)).to.equal(404);
    expect(await get('/products/search?q=lamp')).to.equal(200);
    expect(await get('/products?limit=5')).to.equal(200);
    expect(await get('/products?limit=5000')).to.equal(400);
    expect(await get('/nowhere')).to.equal(404);
    expect((await fetch(`${query.base}/readyz`)).status).to.equal(200);

    const m = await scrape(query.base);
    const duration = 'strata_http_request_duration_seconds_count';
    expect(m.value(duration, { method: 'GET', route: '/products/:id', status: '200' })).to.equal(2);
    expect(m.value(duration, { route: '/products/:id', status: '404' })).to.equal(1);
    expect(m.value(duration, { route: '/products/search', status: '200' })).to.equal(1);
    expect(m.value(duration, { route: '/products', status: '400' })).to.equal(1);
    expect(m.value(duration, { route: 'unmatched', status: '404' })).to.equal(1);
    for (const labels of m.labelSets(duration)) expect(labels.route).not.to.match(/[0-9a-f]{8}-/);
    // The second read of the product came from the cache; the first, the 404 and the search did not.
    expect(m.value('strata_query_cache_hits_total')).to.equal(1);
    expect(m.value('strata_query_cache_misses_total')).to.equal(3);
    expect(m.value('process_cpu_seconds_total')).to.be.greaterThan(0);

    expect(await query.service.stop()).to.equal(0);
  });
});
