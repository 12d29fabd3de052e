import { expect } from 'chai';
import request from 'supertest';
import type { IdempotencyStore } from '../../shared-kernel/idempotency/port';
import { openRedisIdempotencyStore } from '../../shared-kernel/idempotency/redis';
import { newId } from '../../shared-kernel/ids';
import { quietLogger } from '../../shared-kernel/http/auth/tokens.fixtures';
import { skipOrFail } from '../../test/support/availability';
import {
  redisServerInstalled,
  startRedisServer,
  type TestRedisServer,
} from '../../test/support/redis-server';
import { expectProblem, openApiFixture, type ApiFixture } from './command-app.fixtures';

const product = () => ({
  sku: `I-${newId().slice(-8)}`,
  name: 'Mug',
  category: 'kitchen',
  price: { amount: 500, currency: 'EUR' },
});

function idempotencyBehaviour(openStore: () => Promise<IdempotencyStore | undefined>) {
  let f: ApiFixture;
  beforeEach(async () => {
    const idempotency = await openStore();
    f = openApiFixture(idempotency ? { idempotency } : {});
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

  it('of many concurrent requests with one key exactly one runs; the others are 409 while it does', async () => {
    const key = newId();
    const body = product();
    const answers = await Promise.all(
      Array.from({ length: 8 }, () =>
        request(f.app).post('/products').set('Idempotency-Key', key).send(body),
      ),
    );
    for (const answer of answers) expect([201, 409]).to.include(answer.status);
    for (const answer of answers.filter((a) => a.status === 409)) {
      expect(answer.body.type).to.equal('idempotency-in-progress');
    }
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

describe('command API: Idempotency-Key over the embedded SQLite key store', () => {
  idempotencyBehaviour(async () => undefined);
});

describe('command API: Idempotency-Key over Redis (real redis-server)', function () {
  let server: TestRedisServer | undefined;
  const logger = quietLogger();
  const openStore = () =>
    openRedisIdempotencyStore({ url: server!.url, logger, keyPrefix: `api:${newId()}:` });
  before(async function () {
    if (!redisServerInstalled()) skipOrFail(this, 'redis-server is not installed', true);
    server = await startRedisServer();
  });
  after(() => server?.close());

  idempotencyBehaviour(openStore);

  it('Redis down: 503 with Retry-After naming no client internals, nothing appended; unkeyed works; still ready', async () => {
    const f = openApiFixture({ idempotency: await openStore() });
    try {
      await server!.stop();
      const keyed = await request(f.app)
        .post('/products')
        .set('Idempotency-Key', newId())
        .send(product());
      const problem = expectProblem(keyed, 503, 'unavailable');
      expect(problem.detail).to.match(/retry with the same key/);
      expect(problem.detail).not.to.match(/redis|stream|offline|writeable|ECONN/i);
      expect(Number(keyed.headers['retry-after'])).to.be.at.least(1);
      expect(await f.eventCount()).to.equal(0);
      await request(f.app).post('/products').send(product()).expect(201);
      const ready = await request(f.app).get('/readyz').expect(200);
      expect(ready.body).to.include({ status: 'ready', idempotencyStore: 'unavailable' });
      const metrics = (await request(f.app).get('/metrics').expect(200)).text;
      expect(metrics).to.match(/^strata_idempotency_store_up 0$/m);
      expect(metrics).to.match(/^strata_idempotency_store_failures_total [1-9]/m);
    } finally {
      await server!.start();
      await f.close();
    }
  });

  it('after a Redis stall the 503 leaves no claim behind: the retry runs the command once', async function () {
    this.timeout(20_000);
    const f = openApiFixture({ idempotency: await openStore() });
    const key = newId();
    const body = product();
    const send = () => request(f.app).post('/products').set('Idempotency-Key', key).send(body);
    try {
      server!.pause();
      // The claim reaches Redis's socket, then the reply times out: it may be stored later.
      expectProblem(await send(), 503, 'unavailable');
      server!.resume();
      let retried = await send();
      const deadline = Date.now() + 5000;
      while (retried.status === 409 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        retried = await send();
      }
      expect(retried.status, JSON.stringify(retried.body)).to.equal(201);
      expect(retried.headers['idempotent-replayed']).to.equal(undefined);
      expect((await f.allEvents()).filter((e) => e.type === 'ProductCreated')).to.have.length(1);
    } finally {
      server!.resume();
      await f.close();
    }
  });
});
