import { expect } from 'chai';
import request from 'supertest';
import { PassThrough } from 'node:stream';
import type { Cache } from '../../shared-kernel/cache/port';
import { openRedisCache } from '../../shared-kernel/cache/redis';
import { newId } from '../../shared-kernel/ids';
import { createLogger } from '../../shared-kernel/logging/logger';
import { skipOrFail } from '../../test/support/availability';
import {
  redisServerInstalled,
  startRedisServer,
  type TestRedisServer,
} from '../../test/support/redis-server';
import { expectProblem, openApiFixture, type ApiFixture } from './command-app.fixtures';
import {
  IDEMPOTENCY_CLAIM_TTL_MS,
  IDEMPOTENCY_TTL_MS,
  requestFingerprint,
  runIdempotently,
} from './idempotency';

const product = () => ({
  sku: `I-${newId().slice(-8)}`,
  name: 'Mug',
  category: 'kitchen',
  price: { amount: 500, currency: 'EUR' },
});

function idempotencyBehaviour(openCache: () => Promise<Cache | undefined>) {
  let f: ApiFixture;
  beforeEach(async () => {
    const cache = await openCache();
    f = openApiFixture(cache ? { cache } : {});
  });
  afterEach(() => f.close());

  it('a repeat with the same key and body gets the same answer and appends nothing', async () => {
    const key = newId();
    const body = product();
    const first = await request(f.app)
      .post('/products')
      .set('Idempotency-Key', key)
      .send(body)
      .expect(201);
    const count = await f.eventCount();
    const again = await request(f.app)
      .post('/products')
      .set('Idempotency-Key', key)
      .send(body)
      .expect(201);
    expect(again.body).to.deep.equal(first.body);
    expect(again.headers.etag).to.equal(first.headers.etag);
    expect(again.headers.location).to.equal(first.headers.location);
    expect(again.headers['idempotent-replayed']).to.equal('true');
    expect(await f.eventCount()).to.equal(count);
  });

  it('a repeat with another body is 422, and a refused first answer is replayed too', async () => {
    const key = newId();
    await request(f.app).post('/products').set('Idempotency-Key', key).send(product()).expect(201);
    const count = await f.eventCount();
    expectProblem(
      await request(f.app).post('/products').set('Idempotency-Key', key).send(product()),
      422,
      'idempotency-key-reused',
    );
    const id = newId();
    const ruleKey = newId();
    const notFound = await request(f.app)
      .post(`/products/${id}/discontinue`)
      .set('Idempotency-Key', ruleKey);
    expectProblem(notFound, 404);
    const replay = await request(f.app)
      .post(`/products/${id}/discontinue`)
      .set('Idempotency-Key', ruleKey);
    expect(replay.body).to.deep.equal(notFound.body);
    expect(replay.headers['content-type']).to.match(/problem\+json/);
    expect(await f.eventCount()).to.equal(count);
  });

  it('a repeat while the first is still running is 409', async () => {
    const key = newId();
    const body = product();
    const fingerprint = requestFingerprint('POST', '/products', body);
    await f.cache.set(
      `idempotency:${key}`,
      JSON.stringify({ state: 'running', fingerprint }),
      IDEMPOTENCY_TTL_MS,
    );
    expectProblem(
      await request(f.app).post('/products').set('Idempotency-Key', key).send(body),
      409,
      'idempotency-in-progress',
    );
    expect(await f.eventCount()).to.equal(0);
  });

  it('claims a key only briefly and keeps the final answer for 24 hours', async () => {
    const ttls: Array<[string, number]> = [];
    const recording = {
      ...f.cache,
      setIfAbsent: (key: string, value: string, ttlMs: number) => {
        ttls.push(['claim', ttlMs]);
        return f.cache.setIfAbsent(key, value, ttlMs);
      },
      set: (key: string, value: string, ttlMs: number) => {
        ttls.push(['answer', ttlMs]);
        return f.cache.set(key, value, ttlMs);
      },
    };
    const logger = createLogger({
      service: 'test',
      level: 'error',
      format: 'json',
      stream: new PassThrough(),
    });
    const answer = await runIdempotently(recording, logger, newId(), 'print', async () => ({
      status: 201,
      headers: {},
      body: { ok: true },
      problem: false,
    }));
    expect(answer).to.include({ status: 201, replayed: false });
    expect(ttls).to.deep.equal([
      ['claim', IDEMPOTENCY_CLAIM_TTL_MS],
      ['answer', IDEMPOTENCY_TTL_MS],
    ]);
    expect(IDEMPOTENCY_CLAIM_TTL_MS).to.be.lessThan(IDEMPOTENCY_TTL_MS / 100);
  });

  it('of many concurrent requests with one key exactly one runs', async () => {
    const key = newId();
    const body = product();
    const answers = await Promise.all(
      Array.from({ length: 8 }, () =>
        request(f.app).post('/products').set('Idempotency-Key', key).send(body),
      ),
    );
    for (const answer of answers) expect([201, 409]).to.include(answer.status);
    expect(
      answers.filter((a) => a.status === 201 && !a.headers['idempotent-replayed']),
    ).to.have.length(1);
    expect((await f.allEvents()).filter((e) => e.type === 'ProductCreated')).to.have.length(1);
  });

  it('a rejected body does not hold the key; a bad key is 400', async () => {
    const key = newId();
    expectProblem(
      await request(f.app).post('/products').set('Idempotency-Key', key).send({ sku: 'A' }),
      400,
    );
    await request(f.app).post('/products').set('Idempotency-Key', key).send(product()).expect(201);
    expectProblem(
      await request(f.app).post('/products').set('Idempotency-Key', 'a b').send(product()),
      400,
    );
  });
}

describe('command API: Idempotency-Key over the in-process LRU cache', () => {
  idempotencyBehaviour(async () => undefined);
});

describe('command API: Idempotency-Key over Redis (real redis-server)', function () {
  let server: TestRedisServer | undefined;
  const logger = createLogger({
    service: 'test',
    level: 'error',
    format: 'json',
    stream: new PassThrough(),
  });
  const openCache = () =>
    openRedisCache({ url: server!.url, logger, keyPrefix: `api:${newId()}:` });
  before(async function () {
    if (!redisServerInstalled()) skipOrFail(this, 'redis-server is not installed', true);
    server = await startRedisServer();
  });
  after(() => server?.close());

  idempotencyBehaviour(openCache);

  it('Redis down: 503 with Retry-After for a keyed command, nothing appended; unkeyed still works', async () => {
    const f = openApiFixture({ cache: await openCache() });
    try {
      await server!.stop();
      const keyed = await request(f.app)
        .post('/products')
        .set('Idempotency-Key', newId())
        .send(product());
      expectProblem(keyed, 503, 'unavailable');
      expect(Number(keyed.headers['retry-after'])).to.be.at.least(1);
      expect(await f.eventCount()).to.equal(0);
      await request(f.app).post('/products').send(product()).expect(201);
      expectProblem(await request(f.app).get('/readyz'), 503);
    } finally {
      await server!.start();
      await f.close();
    }
  });
});
