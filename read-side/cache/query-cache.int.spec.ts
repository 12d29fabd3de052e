import { expect } from 'chai';
import request from 'supertest';
import { openLruCache } from '../../shared-kernel/cache/lru-cache';
import type { Cache } from '../../shared-kernel/cache/port';
import { openRedisCache } from '../../shared-kernel/cache/redis-cache';
import { createLogger } from '../../shared-kernel/logging/logger';
import { newId } from '../../shared-kernel/ids';
import { skipOrFail } from '../../test/support/availability';
import {
  redisServerInstalled,
  startRedisServer,
  type TestRedisServer,
} from '../../test/support/redis-server';
import { commandsOf, openQueryFixture, type QueryFixture } from '../query-app.fixtures';

function metric(text: string, name: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`strata_query_cache_${name}_total `));
  return Number(line?.split(' ')[1] ?? NaN);
}

async function metrics(fx: QueryFixture) {
  const text = (await request(fx.app).get('/metrics').expect(200)).text;
  return {
    hits: metric(text, 'hits'),
    misses: metric(text, 'misses'),
    failures: metric(text, 'failures'),
    bypassed: metric(text, 'bypassed'),
  };
}

/** The same behaviour over the embedded LRU and a real Redis. */
function cacheBehaviour(name: string, open: () => Promise<Cache>) {
  describe(`query cache over ${name}`, function () {
    this.timeout(30_000);
    let fx: QueryFixture;
    let productId: string;

    before(async () => {
      fx = await openQueryFixture({ cache: await open() });
      productId = (
        await commandsOf(fx).createProduct({ sku: 'C-1', name: 'Cup', category: 'k', amount: 100 })
      ).id;
      await fx.project();
    });
    after(() => fx.close());

    it('serves a repeated get-by-id and search from the cache', async () => {
      const before = await metrics(fx);
      const first = await request(fx.app).get(`/products/${productId}`).expect(200);
      const second = await request(fx.app).get(`/products/${productId}`).expect(200);
      expect(second.body).to.deep.equal(first.body);
      // A hit is the stored bytes as they are, labelled as the miss was.
      expect(second.text).to.equal(first.text);
      expect(second.headers['content-type']).to.equal('application/json; charset=utf-8');
      expect(second.headers['content-type']).to.equal(first.headers['content-type']);
      await request(fx.app).get('/products/search?q=cup').expect(200);
      const found = await request(fx.app).get('/products/search?q=cup').expect(200);
      expect(found.body.total).to.equal(1);
      const after = await metrics(fx);
      expect(after.misses - before.misses).to.equal(2);
      expect(after.hits - before.hits).to.equal(2);
    });

    it('never serves an answer older than the read model once its checkpoint moved', async () => {
      await request(fx.app).get(`/products/${productId}`).expect(200);
      for (const amount of [200, 300, 400]) {
        const changed = await commandsOf(fx).changePrice(productId, amount);
        await fx.project();
        const res = await request(fx.app).get(`/products/${productId}`).expect(200);
        expect(res.body.price.amount).to.equal(amount);
        expect(res.headers['x-projection-position']).to.equal(changed.position);
        const searched = await request(fx.app).get('/products/search?q=cup').expect(200);
        expect(searched.body.items[0].price.amount).to.equal(amount);
      }
    });

    it('caches a 404 only at its position: the product appears once created', async () => {
      const id = newId();
      await request(fx.app).get(`/products/${id}`).expect(404);
      await commandsOf(fx).post('/products', {
        productId: id,
        sku: 'C-2',
        name: 'Saucer',
        category: 'k',
        price: { amount: 1, currency: 'EUR' },
      });
      await fx.project();
      await request(fx.app).get(`/products/${id}`).expect(200);
    });
  });
}

cacheBehaviour('the in-process LRU', async () => openLruCache());

describe('query cache over a real Redis', function () {
  this.timeout(60_000);
  let redis: TestRedisServer;
  const quiet = createLogger({ service: 't', level: 'error', format: 'json' });

  before(async function () {
    if (!redisServerInstalled()) skipOrFail(this, 'redis-server is not installed', true);
    redis = await startRedisServer();
  });
  after(async () => redis?.close());

  cacheBehaviour('Redis', () =>
    openRedisCache({ url: redis.url, logger: quiet, keyPrefix: `t${newId()}:` }),
  );

  it('answers from the read models while Redis is down, logs the outage once, counts it, and recovers', async () => {
    const fx = await openQueryFixture({
      cache: await openRedisCache({
        url: redis.url,
        logger: quiet,
        keyPrefix: `t${newId()}:`,
        timeoutMs: 200,
      }),
    });
    try {
      const { id } = await commandsOf(fx).createProduct({
        sku: 'R-1',
        name: 'Rack',
        category: 'k',
        amount: 5,
      });
      await fx.project();
      await request(fx.app).get(`/products/${id}`).expect(200);
      await redis.stop();
      for (let i = 0; i < 20; i++) {
        const res = await request(fx.app).get(`/products/${id}`).expect(200);
        expect(res.body.name).to.equal('Rack');
        await request(fx.app).get('/products/search?q=rack').expect(200);
      }
      const down = fx.logLines.filter((line) => line.includes('query cache unavailable'));
      expect(down).to.have.length(1);
      const counted = await metrics(fx);
      expect(counted.failures).to.be.at.least(1);
      expect(counted.bypassed).to.be.at.least(30);
      const ready = await request(fx.app).get('/readyz').expect(200);
      expect(ready.body.cache).to.equal('unavailable');

      await redis.start();
      const deadline = Date.now() + 15_000;
      while (!fx.logLines.some((line) => line.includes('query cache reachable again'))) {
        if (Date.now() > deadline) throw new Error('cache never recovered');
        await request(fx.app).get(`/products/${id}`).expect(200);
      }
      const hitsBefore = (await metrics(fx)).hits;
      await request(fx.app).get(`/products/${id}`).expect(200);
      await request(fx.app).get(`/products/${id}`).expect(200);
      expect((await metrics(fx)).hits).to.be.above(hitsBefore);
    } finally {
      await fx.close();
    }
  });
});
