import { expect } from 'chai';
import type { Express } from 'express';
import request from 'supertest';
import { skipOrFail } from '../../../test/support/availability';
import {
  redisServerInstalled,
  startRedisServer,
  type TestRedisServer,
} from '../../../test/support/redis-server';
import { OPEN_ACCESS } from '../auth/guards';
import { quietLogger } from '../auth/tokens.fixtures';
import { openLimitsFixture, type LimitsFixture } from './limits.fixtures';
import { openRedisRateLimitStore, type RedisRateLimitStore } from './redis-store';

describe('rate limit in Redis (real redis-server)', function () {
  let redis: TestRedisServer;
  let limits: LimitsFixture;
  const stores: RedisRateLimitStore[] = [];
  const storeLog: string[] = [];
  let prefixes = 0;

  before(async function () {
    if (!redisServerInstalled()) skipOrFail(this, 'redis-server is not installed', true);
    redis = await startRedisServer();
    limits = await openLimitsFixture();
  });
  after(async () => {
    await Promise.all(stores.map((store) => store.close()));
    await limits?.close();
    await redis?.close();
  });

  /** Two API instances sharing one Redis budget, as two replicas behind a balancer would. */
  async function replicas(perMinute: number, count = 2) {
    const prefix = `strata:ratelimit:spec${++prefixes}:`;
    const apps = Array.from({ length: count }, () => {
      const store = openRedisRateLimitStore({
        url: redis.url,
        logger: quietLogger(storeLog),
        prefix,
      });
      stores.push(store);
      return limits.appWith({
        ...OPEN_ACCESS,
        rateLimitPerMinute: perMinute,
        rateLimitStore: store.store,
      });
    });
    await Promise.all(stores.map((store) => store.ready()));
    return apps;
  }

  it('counts the requests of every instance against one budget', async () => {
    const [first, second] = (await replicas(4)) as [Express, Express];
    const path = `/products/${limits.productId}`;
    for (const app of [first, second, first, second]) await request(app).get(path).expect(200);
    const refused = await request(first).get(path).expect(429);
    expect(Number(refused.headers['retry-after'])).to.be.within(1, 60);
    await request(second).get(path).expect(429);
  });

  it('fails open while Redis is down, fast, and limits again once it is back', async () => {
    const [app] = (await replicas(3, 1)) as [Express];
    const path = `/products/${limits.productId}`;
    await request(app).get(path).expect(200);
    await redis.stop();
    try {
      for (let i = 0; i < 8; i++) {
        const started = Date.now();
        await request(app).get(path).expect(200);
        expect(Date.now() - started, 'a dead Redis must not hold requests').to.be.below(1_500);
      }
      const outages = storeLog.filter((line) => line.includes('rate limit store unavailable'));
      expect(outages, 'the outage is logged once, not per request').to.have.length(1);
    } finally {
      await redis.start();
    }
    // The client reconnects in the background and reloads its scripts after the next failure.
    const deadline = Date.now() + 10_000;
    let status = 200;
    while (status !== 429 && Date.now() < deadline) {
      status = (await request(app).get(path)).status;
      if (status !== 429) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(status, 'limiting resumes after Redis returns').to.equal(429);
    expect(storeLog.some((line) => line.includes('rate limit store reachable again'))).to.equal(
      true,
    );
  });
});
