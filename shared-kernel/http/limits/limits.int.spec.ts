import { expect } from 'chai';
import request from 'supertest';
import { openAuthentication } from '../auth/access';
import { OPEN_ACCESS } from '../auth/guards';
import { hs256Settings, signHs256 } from '../auth/tokens.fixtures';
import { FAR_POSITION, openLimitsFixture, type LimitsFixture } from './limits.fixtures';

describe('request limits (query API over real read models)', () => {
  let limits: LimitsFixture;
  before(async () => {
    limits = await openLimitsFixture();
  });
  after(async () => limits.close());

  it('answers 429 problem+json with Retry-After once a caller passes the per-minute limit', async () => {
    const app = limits.appWith({ ...OPEN_ACCESS, rateLimitPerMinute: 5 });
    const path = `/products/${limits.productId}`;
    for (let i = 0; i < 5; i++) await request(app).get(path).expect(200);
    // Probes are never counted, or a busy orchestrator would lock clients out.
    await request(app).get('/livez').expect(200);
    const refused = await request(app).get(path).expect(429);
    expect(refused.headers['content-type']).to.match(/^application\/problem\+json/);
    expect(refused.body.type).to.equal('too-many-requests');
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).to.be.within(1, 60);
    expect(refused.headers['ratelimit-policy']).to.equal('5;w=60');
  });

  it('counts per token subject when tokens are on, not per IP', async () => {
    const authentication = await openAuthentication(hs256Settings());
    const app = limits.appWith({ ...OPEN_ACCESS, authentication, rateLimitPerMinute: 3 });
    const path = `/products/${limits.productId}`;
    const alice = `Bearer ${await signHs256({ subject: 'alice' })}`;
    const bob = `Bearer ${await signHs256({ subject: 'bob' })}`;
    for (let i = 0; i < 3; i++)
      await request(app).get(path).set('Authorization', alice).expect(200);
    await request(app).get(path).set('Authorization', alice).expect(429);
    // Same IP, another subject: its own budget.
    await request(app).get(path).set('Authorization', bob).expect(200);
    // Refused tokens are counted per IP, so guessing tokens is throttled too.
    for (let i = 0; i < 3; i++)
      await request(app).get(path).set('Authorization', 'Bearer x.y.z').expect(401);
    await request(app).get(path).set('Authorization', 'Bearer x.y.z').expect(429);
  });

  it('serves without limit when the limit is 0', async () => {
    const app = limits.appWith({ ...OPEN_ACCESS, rateLimitPerMinute: 0 });
    for (let i = 0; i < 30; i++)
      await request(app).get(`/products/${limits.productId}`).expect(200);
  });

  it('sets the security headers on answers and on problems', async () => {
    const app = limits.appWith(OPEN_ACCESS);
    for (const res of [
      await request(app).get(`/products/${limits.productId}`).expect(200),
      await request(app).get('/no-such-route').expect(404),
    ]) {
      expect(res.headers['content-security-policy']).to.equal(
        "default-src 'none';frame-ancestors 'none'",
      );
      expect(res.headers['x-content-type-options']).to.equal('nosniff');
      expect(res.headers['strict-transport-security']).to.match(/^max-age=\d+/);
      expect(res.headers['x-frame-options']).to.equal('SAMEORIGIN');
      expect(res.headers['referrer-policy']).to.equal('no-referrer');
      expect(res.headers).to.not.have.property('x-powered-by');
    }
  });

  it('answers 503 problem+json when a handler runs past the request timeout, and stays healthy', async () => {
    // A read that waits for a position nobody reaches is a real handler outliving the timeout.
    const app = limits.appWith({ ...OPEN_ACCESS, requestTimeoutMs: 200 }, 800);
    const started = Date.now();
    const res = await request(app).get(`/products/${limits.productId}?minPosition=${FAR_POSITION}`);
    const elapsed = Date.now() - started;
    expect(res.status).to.equal(503);
    expect(res.headers['content-type']).to.match(/^application\/problem\+json/);
    expect(res.headers['retry-after']).to.equal('1');
    expect(res.body.detail).to.match(/no answer within 200 ms/);
    expect(elapsed).to.be.within(180, 700);
    // The handler's own late 503 (after 800 ms) has nowhere to go and must not break anything.
    await new Promise((resolve) => setTimeout(resolve, 800));
    await request(app).get(`/products/${limits.productId}`).expect(200);
    expect(limits.logLines.some((line) => line.includes('request timed out'))).to.equal(true);
    // The late answer is the watcher's own 503, logged as such: no headers-sent or write-after-end.
    const late = limits.logLines.filter((line) => line.includes('"level":"error"'));
    expect(late.join('\n')).to.not.match(
      /ERR_HTTP_HEADERS_SENT|ERR_STREAM_WRITE_AFTER_END|"status":500/,
    );
  });

  it('drops the answer a handler finishes after the timeout, without errors', async () => {
    const app = limits.appWith({ ...OPEN_ACCESS, requestTimeoutMs: 150 }, 3_000);
    const wanted = await limits.nextPosition();
    const pending = request(app).get(`/products/${limits.productId}?minPosition=${wanted}`);
    const answer = new Promise<request.Response>((resolve, reject) =>
      pending.then(resolve, reject),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await limits.nextProduct()) >= wanted).to.equal(true);
    // The handler now reaches the position and writes its 200: it must go nowhere, quietly.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await answer).status).to.equal(503);
    const lines = limits.logLines.join('\n');
    expect(lines).to.not.match(/ERR_HTTP_HEADERS_SENT|ERR_STREAM_WRITE_AFTER_END|"status":500/);
  });

  it('tells /readyz readers, with a warning, that authentication is off', async () => {
    const ready = await request(limits.appWith(OPEN_ACCESS)).get('/readyz').expect(200);
    expect(ready.body.status).to.equal('ready');
    expect(ready.body.warnings).to.have.length(1);
    expect(ready.body.warnings[0]).to.match(/^authentication is off/);
  });
});
