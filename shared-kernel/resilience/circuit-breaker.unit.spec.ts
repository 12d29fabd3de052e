import { expect } from 'chai';
import { PassThrough } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConfigError, NotFoundError, UnavailableError, ValidationError } from '../errors';
import { readConfig } from '../config/env';
import { createLogger } from '../logging/logger';
import { createMetricsRegistry } from '../metrics/registry';
import { parseExposition } from '../metrics/scrape.fixtures';
import { createCircuitBreakers, isCircuitOpen } from './circuit-breaker';
import { circuitBreakerConfig } from './config';

/** A dependency the test steers: it fails, succeeds, or hangs, and counts what reached it. */
function dependency() {
  let mode: 'up' | 'down' | 'frozen' = 'up';
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    set(next: typeof mode) {
      mode = next;
    },
    async call(): Promise<string> {
      calls++;
      if (mode === 'down')
        throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
      if (mode === 'frozen') await sleep(60_000, undefined, { ref: false });
      return 'answer';
    },
  };
}

function setUp(settings = { breakerFailures: 3, breakerOpenMs: 300 }) {
  const registry = createMetricsRegistry();
  const lines = new PassThrough();
  const logged: string[] = [];
  lines.on('data', (chunk: Buffer) => logged.push(chunk.toString()));
  const logger = createLogger({ service: 'test', level: 'info', format: 'json', stream: lines });
  const breakers = createCircuitBreakers({ settings, registry, logger });
  const gauge = async (name: string) =>
    parseExposition(await registry.metrics()).value('strata_circuit_breaker_state', {
      dependency: name,
    });
  return { breakers, registry, gauge, logged };
}

const outcome = (promise: Promise<unknown>) =>
  promise.then(
    (value) => ({ value, error: null as Error | null }),
    (error: Error) => ({ value: null, error }),
  );

describe('circuit breakers', () => {
  it('opens after N consecutive failures, and a success in between starts the count again', async () => {
    const { breakers, gauge } = setUp();
    const redis = dependency();
    const breaker = breakers.breaker('redis');
    redis.set('down');
    await outcome(breaker.call(() => redis.call()));
    await outcome(breaker.call(() => redis.call()));
    redis.set('up');
    expect(await breaker.call(() => redis.call())).to.equal('answer');
    redis.set('down');
    for (let i = 0; i < 2; i++) await outcome(breaker.call(() => redis.call()));
    expect(breaker.state()).to.equal('closed');
    expect(await gauge('redis')).to.equal(0);
    const third = await outcome(breaker.call(() => redis.call()));
    expect(third.error?.message).to.equal('connect ECONNREFUSED');
    expect(breaker.state()).to.equal('open');
    expect(await gauge('redis')).to.equal(2);
  });

  it('fails fast while open: the dependency is not called, and 1,000 rejections take far less than one call would', async () => {
    const { breakers, registry } = setUp({ breakerFailures: 2, breakerOpenMs: 60_000 });
    const redis = dependency();
    const breaker = breakers.breaker('redis', { timeoutMs: 200 });
    redis.set('frozen');
    for (let i = 0; i < 2; i++) {
      const timedOut = await outcome(breaker.call(() => redis.call()));
      expect(timedOut.error).to.be.instanceOf(UnavailableError);
      expect(timedOut.error?.message).to.equal('redis did not answer within 200 ms');
    }
    expect(breaker.state()).to.equal('open');
    const reached = redis.calls;
    const started = process.hrtime.bigint();
    for (let i = 0; i < 1_000; i++) {
      const fast = await outcome(breaker.call(() => redis.call()));
      expect(isCircuitOpen(fast.error)).to.equal(true);
    }
    const perCallMs = Number(process.hrtime.bigint() - started) / 1e6 / 1_000;
    expect(redis.calls).to.equal(reached);
    // One call to the frozen dependency waits 200 ms; a rejection is microseconds (this bound
    // leaves a loaded machine 100x room).
    expect(perCallMs).to.be.below(2);
    const rejection = (await outcome(breaker.call(() => redis.call()))).error as UnavailableError;
    expect(rejection.message).to.match(/^redis is unavailable: its circuit breaker is open/);
    expect(rejection.retryAfterSeconds).to.be.within(59, 60);
    const m = parseExposition(await registry.metrics());
    expect(
      m.value('strata_circuit_breaker_rejected_calls_total', { dependency: 'redis' }),
    ).to.equal(1_001);
  });

  it('half-opens after the open duration, lets one trial through, and closes when it succeeds', async () => {
    const { breakers, gauge, logged } = setUp({ breakerFailures: 1, breakerOpenMs: 1_000 });
    const kafka = dependency();
    const breaker = breakers.breaker('kafka');
    kafka.set('down');
    await outcome(breaker.call(() => kafka.call()));
    expect(breaker.state()).to.equal('open');
    const opened = Date.now();
    kafka.set('up');
    // Half the open time, with room for a loaded machine's pauses before the trial is due.
    while (Date.now() - opened < 500) {
      const early = await outcome(breaker.call(() => kafka.call()));
      if (Date.now() - opened < 500) expect(isCircuitOpen(early.error)).to.equal(true);
      await sleep(20);
    }
    await sleep(Math.max(0, opened + 1_050 - Date.now()));
    expect(breaker.state()).to.equal('half-open');
    expect(await gauge('kafka')).to.equal(1);
    expect(breakers.detail().kafka).to.include({ state: 'half-open' });
    const before = kafka.calls;
    expect(await breaker.call(() => kafka.call())).to.equal('answer');
    expect(kafka.calls).to.equal(before + 1);
    expect(breaker.state()).to.equal('closed');
    expect(await gauge('kafka')).to.equal(0);
    expect(breakers.detail().kafka).to.deep.include({ state: 'closed', lastFailure: null });
    const messages = logged.map((line) => (JSON.parse(line) as { message: string }).message);
    expect(messages).to.include.members([
      'circuit breaker opened: calls fail fast',
      'circuit breaker closed: the trial call succeeded',
    ]);
  });

  it('a failed trial opens it again; calls during a trial fail fast instead of queueing behind it', async () => {
    const { breakers } = setUp({ breakerFailures: 1, breakerOpenMs: 1_000 });
    const search = dependency();
    const breaker = breakers.breaker('search', { timeoutMs: 300 });
    search.set('down');
    await outcome(breaker.call(() => search.call()));
    await sleep(1_050);
    search.set('frozen');
    const trial = outcome(breaker.call(() => search.call()));
    const started = Date.now();
    const during = await outcome(breaker.call(() => search.call()));
    expect(isCircuitOpen(during.error)).to.equal(true);
    expect(Date.now() - started).to.be.below(150);
    expect((await trial).error?.message).to.equal('search did not answer within 300 ms');
    expect(breaker.state()).to.equal('open');
    expect(breakers.detail().search).to.deep.include({
      state: 'open',
      lastFailure: 'UnavailableError: search did not answer within 300 ms',
    });
  });

  it('with trialWaitMs the trial caller leaves after that long, while the trial goes on and decides', async () => {
    const { breakers } = setUp({ breakerFailures: 1, breakerOpenMs: 500 });
    const redis = dependency();
    const breaker = breakers.breaker('redis', { timeoutMs: 300, trialWaitMs: 20 });
    redis.set('down');
    await outcome(breaker.call(() => redis.call()));
    await sleep(550);
    redis.set('frozen');
    const started = Date.now();
    const left = await outcome(breaker.call(() => redis.call()));
    // A loaded machine's room: far below the 300 ms the trial itself takes.
    expect(Date.now() - started).to.be.below(150);
    expect(isCircuitOpen(left.error)).to.equal(true);
    expect(left.error?.message).to.match(/half-open, the trial call under way/);
    expect(breaker.state()).to.equal('half-open');
    await sleep(400);
    expect(breaker.state()).to.equal('open');
    expect(breakers.detail().redis?.lastFailure).to.match(/did not answer within 300 ms/);

    await sleep(550);
    redis.set('up');
    expect(await breaker.call(() => redis.call())).to.equal('answer');
    expect(breaker.state()).to.equal('closed');
  });

  it('client errors and unknown errors never count: they are the dependency answering', async () => {
    const { breakers } = setUp({ breakerFailures: 1, breakerOpenMs: 60_000 });
    const breaker = breakers.breaker('document-store');
    for (const error of [
      new ValidationError([{ field: 'q', message: 'bad' }]),
      new NotFoundError('none'),
      new TypeError('a bug of ours'),
    ]) {
      const result = await outcome(breaker.call(() => Promise.reject(error)));
      expect(result.error).to.equal(error);
      expect(breaker.state()).to.equal('closed');
    }
    await outcome(breaker.call(() => Promise.reject(new UnavailableError('down'))));
    expect(breaker.state()).to.equal('open');
  });

  it('a custom predicate decides for an adapter, and each dependency has its own breaker', async () => {
    const { breakers, gauge } = setUp({ breakerFailures: 1, breakerOpenMs: 60_000 });
    const es = breakers.breaker('search-index', {
      isFailure: (e) => (e as Error).message === '503',
    });
    const redis = breakers.breaker('redis');
    expect(breakers.breaker('redis')).to.equal(redis);
    await outcome(es.call(() => Promise.reject(new Error('400'))));
    expect(es.state()).to.equal('closed');
    await outcome(es.call(() => Promise.reject(new Error('503'))));
    expect(es.state()).to.equal('open');
    expect(redis.state()).to.equal('closed');
    expect([await gauge('search-index'), await gauge('redis')]).to.deep.equal([2, 0]);
    expect(Object.keys(breakers.detail())).to.have.members(['search-index', 'redis']);
  });

  it('reads its settings once, naming a bad variable', () => {
    expect(readConfig({}, circuitBreakerConfig)).to.deep.equal({
      breakerFailures: 5,
      breakerOpenMs: 2000,
    });
    expect(() => readConfig({ STRATA_BREAKER_FAILURES: '0' }, circuitBreakerConfig)).to.throw(
      ConfigError,
      'STRATA_BREAKER_FAILURES: expected an integer from 1 to 1000, got "0"',
    );
    expect(() => readConfig({ STRATA_BREAKER_OPEN_MS: 'soon' }, circuitBreakerConfig)).to.throw(
      ConfigError,
      'STRATA_BREAKER_OPEN_MS',
    );
  });
});
