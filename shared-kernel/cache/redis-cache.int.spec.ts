import { expect } from 'chai';
import { createLogger } from '../logging/logger';
import { UnavailableError } from '../errors';
import { newId } from '../ids';
import { skipOrFail } from '../../test/support/availability';
import {
  redisServerInstalled,
  startRedisServer,
  type TestRedisServer,
} from '../../test/support/redis-server';
import { describeCacheContract } from './cache.contract';
import { openRedisCache } from './redis-cache';
import { PassThrough } from 'node:stream';
import { openBlackHole } from '../../test/support/black-hole';

describe('Cache contract: Redis (a real redis-server started by the test)', function () {
  let server: TestRedisServer | undefined;
  const logger = createLogger({
    service: 'test',
    level: 'error',
    format: 'json',
    stream: new PassThrough(),
  });

  before(async function () {
    if (!redisServerInstalled()) skipOrFail(this, 'redis-server is not installed', true);
    server = await startRedisServer();
  });
  after(async () => {
    await server?.close();
  });

  // A fresh prefix per test keeps tests apart on the one server.
  describeCacheContract(async () =>
    openRedisCache({ url: server!.url, logger, keyPrefix: `test:${newId()}:` }),
  );

  it('opens while Redis is down (without failing start-up) and serves once it is up', async () => {
    await server!.stop();
    const started = Date.now();
    const cache = await openRedisCache({ url: server!.url, logger, keyPrefix: `late:${newId()}:` });
    try {
      expect(Date.now() - started).to.be.below(2000);
      let failure: unknown;
      await cache.get('k').catch((error: unknown) => (failure = error));
      expect(failure).to.be.instanceOf(UnavailableError);
      await server!.start();
      const deadline = Date.now() + 5000;
      let value: string | null = null;
      while (value === null && Date.now() < deadline) {
        await cache.set('k', 'v', 60_000).catch(() => undefined);
        value = await cache.get('k').catch(() => null);
        if (value === null) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(value).to.equal('v');
    } finally {
      await cache.close();
    }
  });

  it('on a port that accepts and never answers, opens and fails each call within its timeout', async () => {
    const hole = await openBlackHole();
    const started = Date.now();
    const cache = await openRedisCache({
      url: `redis://127.0.0.1:${hole.port}`,
      logger,
      timeoutMs: 300,
    });
    try {
      expect(Date.now() - started, 'open').to.be.below(2000);
      for (const operation of [() => cache.get('k'), () => cache.ping()]) {
        const called = Date.now();
        let failure: unknown;
        await operation().catch((error: unknown) => (failure = error));
        expect(failure).to.be.instanceOf(UnavailableError);
        expect(Date.now() - called).to.be.below(2000);
      }
      expect(hole.accepted()).to.be.greaterThan(0);
    } finally {
      await cache.close();
      await hole.close();
    }
  });

  it('fails fast with UnavailableError while Redis is down, then recovers', async () => {
    const cache = await openRedisCache({
      url: server!.url,
      logger,
      keyPrefix: `fault:${newId()}:`,
    });
    try {
      await cache.set('before', 'v', 60_000);
      await server!.stop();
      for (const operation of [
        () => cache.get('before'),
        () => cache.setIfAbsent('x', 'v', 60_000),
        () => cache.set('x', 'v', 60_000),
        () => cache.ping(),
      ]) {
        const started = Date.now();
        let failure: unknown;
        await operation().catch((error: unknown) => (failure = error));
        expect(failure).to.be.instanceOf(UnavailableError);
        expect(Date.now() - started).to.be.below(1500);
      }
      await server!.start();
      const deadline = Date.now() + 5000;
      let recovered = false;
      while (!recovered && Date.now() < deadline) {
        recovered = await cache.setIfAbsent('after', 'v', 60_000).catch(() => false);
        if (!recovered) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(recovered, 'cache works again after redis-server restarted').to.equal(true);
    } finally {
      await cache.close();
    }
  });
});
