import { expect } from 'chai';
import { Redis } from 'ioredis';
import { setTimeout as sleep } from 'node:timers/promises';
import { skipOrFail } from '../support/availability';
import { eventually } from '../support/eventually';
import {
  redisServerInstalled,
  startRedisServer,
  type TestRedisServer,
} from '../support/redis-server';
import { figure, knob, stopwatch } from './support/figures';
import { stockCatalog, storefrontRead, type CatalogItem } from './support/catalog';
import { request } from './support/http';
import { runLoad, shown, type LoadTally } from './support/load';
import { writeThenRead, type WriteThenRead } from './support/read-your-writes';
import { need, startSystem, type RunningSystem } from './support/system';

const SCENARIO = 'redis-outage';
/** Issue 7 item 5 asks for 30 s; CI runs 8 s unless FAULT_REDIS_OUTAGE_MS says otherwise. */
const OUTAGE_MS = knob('FAULT_REDIS_OUTAGE_MS', process.env.CI === 'true' ? 8_000 : 30_000);
const QUERY_CLIENTS = knob('FAULT_REDIS_QUERY_CLIENTS', 8);
/** Commands followed by a read asking to see them, after Redis is back. */
const CHECKS_AFTER = knob('FAULT_REDIS_CHECKS_AFTER', 40);
/** Three times the README's 5 s for the breaker to close once Redis answers again. */
const CACHE_BACK_WITHIN_S = 15;
const QUERY_CACHE_PREFIX = 'strata:query:';

/** Write-then-read rounds over `items`, one after another, until `until()` says stop. */
async function readYourWrites(
  system: RunningSystem,
  items: CatalogItem[],
  until: (round: number) => boolean,
): Promise<WriteThenRead[]> {
  const results: WriteThenRead[] = [];
  const commandUrl = need(system.command, 'command API').url;
  const queryUrl = need(system.query, 'query API').url;
  for (let round = 0; !until(round); round++) {
    results.push(await writeThenRead(commandUrl, queryUrl, items[round % items.length]!));
  }
  return results;
}

function reportChecks(phase: string, checks: WriteThenRead[]) {
  const stale = checks.filter((c) => c.stale);
  const failed = checks.filter((c) => c.failed);
  figure(SCENARIO, `${phase}: commands read back with X-Min-Position`, checks.length);
  figure(SCENARIO, `${phase}: stale answers (older than the requested position)`, stale.length);
  figure(SCENARIO, `${phase}: read-backs failed (5xx / no answer)`, failed.length);
  figure(
    SCENARIO,
    `${phase}: slowest read-back`,
    Math.max(0, ...checks.map((c) => c.readMs)),
    'ms',
  );
  return { stale: stale.map((c) => c.detail), failed: failed.map((c) => c.detail) };
}

/** `strata_query_cache_<name>_total` counters from the query API's Prometheus text. */
function cacheCounters(metricsText: string): Record<string, number> {
  const counters: Record<string, number> = {};
  for (const match of metricsText.matchAll(
    /^strata_query_cache_(\w+)_total(?:\{[^}]*\})? (\S+)$/gm,
  )) {
    counters[match[1] as string] = (counters[match[1] as string] ?? 0) + Number(match[2]);
  }
  return counters;
}

describe('fault: Redis stopped under query load (query cache and idempotency store gone)', function () {
  this.timeout(OUTAGE_MS + 180_000);
  let redis: TestRedisServer | undefined;
  let system: RunningSystem | undefined;

  before(async function () {
    if (!redisServerInstalled()) skipOrFail(this, 'redis-server is not installed', true);
    redis = await startRedisServer();
  });
  after(async () => {
    await system?.stop();
    await redis?.close();
  });

  it(`${OUTAGE_MS} ms without Redis: no 5xx from the query API, and never an answer older than X-Min-Position`, async () => {
    const elapsed = stopwatch();
    const server = redis as TestRedisServer;
    system = await startSystem('redis', {
      command: true,
      query: true,
      worker: true,
      env: { REDIS_URL: server.url },
      // Read-your-writes waits longer than the default 2 s: on a busy 2-core box a slow worker
      // would otherwise turn into a designed 503, which is not what this scenario is about.
      queryEnv: { STRATA_MIN_POSITION_WAIT_MS: '10000' },
    });
    const queryUrl = need(system.query, 'query API').url;
    const items = await stockCatalog(need(system.command, 'command API').url, 40);
    const browsed = items.slice(0, 30);
    const written = items.slice(30);
    const warmUp = await readYourWrites(system, written, (round) => round >= written.length);
    const load = () =>
      runLoad(QUERY_CLIENTS, async (client, n) => {
        const read = storefrontRead(queryUrl, browsed, client * 7919 + n);
        return { what: read.what, answer: await request(read.url) };
      });

    const before = load();
    await sleep(2_000);
    await before.stop();

    await server.stop();
    const outageStarted = Date.now();
    const during = load();
    const duringChecks = await readYourWrites(
      system,
      written,
      () => Date.now() - outageStarted >= OUTAGE_MS,
    );
    await during.stop();
    const outageMs = Date.now() - outageStarted;
    await server.start();

    const afterLoad = load();
    const afterChecks = await readYourWrites(system, written, (round) => round >= CHECKS_AFTER);
    // The cache fills again once the client has reconnected and the breaker has closed (within
    // 5 s of Redis answering, as the README says); the load goes on until its keys show it is
    // used, bounded. A fixed wait was too short once on a busy CI box (0 keys after ~3 s).
    const client = new Redis(server.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    const back = stopwatch();
    // The query API's own keys (read-side/main.ts), not the command API's idempotency keys.
    const queryKeys = async () => (await client.keys(`${QUERY_CACHE_PREFIX}*`)).length;
    let redisKeys = 0;
    try {
      await eventually(
        'the query cache to write to Redis again',
        async () => (redisKeys = await queryKeys()) > 0,
        { timeoutMs: CACHE_BACK_WITHIN_S * 1000, intervalMs: 250 },
      );
    } finally {
      client.disconnect();
    }
    await afterLoad.stop();
    figure(SCENARIO, 'cache writing to Redis again after the checks', back(), 's');
    const metrics = await request(`${queryUrl}/metrics`);

    figure(SCENARIO, 'outage', outageMs, 'ms');
    const phases: [string, LoadTally][] = [
      ['before', before.tally],
      ['during the outage', during.tally],
      ['after Redis is back', afterLoad.tally],
    ];
    for (const [phase, tally] of phases) {
      figure(SCENARIO, `query answers ${phase}`, shown(tally));
      figure(SCENARIO, `query 5xx / no answer ${phase}`, tally.failed);
    }
    const warm = reportChecks('warm-up', warmUp);
    const outage = reportChecks('during the outage', duringChecks);
    const recovered = reportChecks('after Redis is back', afterChecks);
    figure(SCENARIO, 'query cache keys in Redis after recovery (in use again)', redisKeys);
    const cache = cacheCounters(metrics.raw);
    figure(SCENARIO, 'query cache counters', JSON.stringify(cache));
    figure(SCENARIO, 'runtime', elapsed(), 's');

    for (const [phase, tally] of phases) {
      expect(tally.failures, `5xx or no answer ${phase}`).to.deep.equal([]);
      expect(tally.byStatus[200] ?? 0, `successful queries ${phase}`).to.be.greaterThan(0);
    }
    expect(during.tally.sent, 'queries sent during the outage').to.be.greaterThan(100);
    expect(duringChecks.length, 'read-backs during the outage').to.be.greaterThan(0);
    for (const checks of [warm, outage, recovered]) {
      expect(checks.failed, 'read-backs that failed').to.deep.equal([]);
      expect(checks.stale, 'read-backs older than their X-Min-Position').to.deep.equal([]);
    }
    expect(redisKeys, 'the query cache writes to Redis again').to.be.greaterThan(0);
    expect(metrics.status).to.equal(200);
    // Proof the query API really lost its cache (and did not, say, run on the in-process LRU).
    expect(
      (cache.failures ?? 0) + (cache.bypassed ?? 0),
      'cache calls failed or skipped',
    ).to.be.greaterThan(0);
    expect(cache.hits ?? 0, 'answers served from Redis').to.be.greaterThan(0);
  });
});
