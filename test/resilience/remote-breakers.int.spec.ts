import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { newId } from '../../shared-kernel/ids';
import type { RunningProcess } from '../../shared-kernel/http/serve';
import { main as commandApi } from '../../write-side/main';
import { main as queryApi } from '../../read-side/main';
import { openBlackHole, type BlackHole } from '../support/black-hole';
import { freePort } from '../support/redis-server';
import { embeddedWorkerEnv } from '../support/worker-process';
import {
  answer,
  breakerOf,
  expectFastCircuitOpen,
  metricsOnly,
  type Answer,
} from './remote-breakers.fixtures';

const OPEN_MS = 1_000;
/** Two failures open a breaker here (the default is 5), so a spec spends two client bounds. */
const BREAKER_ENV = {
  STRATA_BREAKER_FAILURES: '2',
  STRATA_BREAKER_OPEN_MS: String(OPEN_MS),
  LOG_LEVEL: 'error',
  STRATA_COMMAND_PORT: '0',
  STRATA_QUERY_PORT: '0',
};

/**
 * The breakers of EventStoreDB and Elasticsearch through the composition roots, with the real
 * clients against a refused port and a port that accepts and never answers (no server needed):
 * the breaker opens, calls then fail fast as 503 problem+json naming the dependency and nothing
 * of the client, `/readyz` and the state gauge show it, and on schedule a trial goes through
 * again. (MongoDB cannot be opened without a server: its breaker is exercised through the same
 * wiring in `remote-document-store-breaker.int.spec.ts`.)
 */
describe('circuit breakers of remote stores, through the composition roots (no server needed)', function () {
  this.timeout(60_000);
  let dataDir: string;
  let hole: BlackHole;
  const running: RunningProcess[] = [];

  beforeEach(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'strata-breakers-'));
    hole = await openBlackHole();
  });
  afterEach(async () => {
    for (const process of running.splice(0)) await process.stop();
    await hole.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const env = (extra: NodeJS.ProcessEnv) => ({
    ...embeddedWorkerEnv(dataDir, BREAKER_ENV),
    ...extra,
  });
  const createProduct = (base: string) =>
    answer(`${base}/products`, {
      method: 'POST',
      body: {
        productId: newId(),
        sku: `BRK-${newId().slice(-8).toUpperCase()}`,
        name: 'Kettle',
        category: 'kitchen',
        price: { amount: 1500, currency: 'EUR' },
      },
    });

  it('ESDB_URL refused: the event-store breaker opens, commands get a fast 503, and it retries on schedule', async () => {
    const port = await freePort();
    const api = await commandApi(
      env({ ESDB_URL: `esdb://admin:s3cret-pw@127.0.0.1:${port}?tls=false` }),
    );
    running.push(api);
    const base = `http://127.0.0.1:${api.port}`;

    for (let i = 0; i < 2; i++) {
      const failed = await createProduct(base);
      expect(failed.status, JSON.stringify(failed.body)).to.equal(503);
    }
    const fast = await expectFastCircuitOpen(() => createProduct(base), 'event-store');
    expect(fast.raw).to.not.contain('s3cret-pw');
    const state = await breakerOf(base, 'event-store');
    expect(state.readyz.status, 'the command API cannot work without its event store').to.equal(
      503,
    );
    expect(state.state).to.equal('open');
    expect(state.lastFailure).to.be.a('string').and.not.contain('s3cret-pw');
    expect(state.gauge).to.equal(2);

    // Refused stays refused: after the open time one trial reaches the port, fails, and the
    // breaker opens again, failing calls fast once more.
    await sleep(OPEN_MS + 100);
    expect((await metricsOnly(base, 'event-store')).gauge, 'half-open').to.equal(1);
    const rejected = (await metricsOnly(base, 'event-store')).rejected;
    const trial = await createProduct(base);
    expect(trial.status).to.equal(503);
    const after = await breakerOf(base, 'event-store');
    expect(after.state, 'the trial failed: open again').to.equal('open');
    expect(after.gauge).to.equal(2);
    expect(after.lastFailure).to.not.match(/circuit breaker/);
    expect(after.rejected, 'failed fast after the trial').to.be.greaterThan(rejected);
    await expectFastCircuitOpen(() => createProduct(base), 'event-store');
  });

  it('ESDB_URL black-holed: the pings open the breaker, then commands fail fast instead of waiting the append deadline', async () => {
    const api = await commandApi(env({ ESDB_URL: `esdb://127.0.0.1:${hole.port}?tls=false` }));
    running.push(api);
    const base = `http://127.0.0.1:${api.port}`;

    // Each ping waits its 2 s bound; an append would wait 10 s.
    for (let i = 0; i < 2; i++) {
      expect((await answer(`${base}/readyz`)).status).to.equal(503);
    }
    expect(hole.accepted(), 'the client did connect').to.be.greaterThan(0);
    await expectFastCircuitOpen(() => createProduct(base), 'event-store');
    const state = await breakerOf(base, 'event-store');
    expect(state.state).to.equal('open');
    expect(state.gauge).to.equal(2);
  });

  for (const kind of ['refused', 'black-holed'] as const) {
    it(`ELASTICSEARCH_URL ${kind}: the search-index breaker opens, searches get a fast 503, the query API shows it`, async () => {
      const port = kind === 'refused' ? await freePort() : hole.port;
      const query = await queryApi(
        env({
          ELASTICSEARCH_URL: `http://elastic:s3cret-pw@127.0.0.1:${port}`,
          ELASTICSEARCH_REQUEST_TIMEOUT_MS: '300',
        }),
      );
      running.push(query);
      const base = `http://127.0.0.1:${query.port}`;
      const search = () => answer(`${base}/products/search?q=kettle`);

      let failures = 0;
      for (let i = 0; i < 10 && (await metricsOnly(base, 'search-index')).gauge !== 2; i++) {
        const failed: Answer = await search();
        expect(failed.status, JSON.stringify(failed.body)).to.equal(503);
        failures++;
      }
      expect(failures, 'searches before the breaker opened').to.be.within(1, 2);
      const fast = await expectFastCircuitOpen(search, 'search-index');
      expect(fast.raw).to.not.contain('s3cret-pw');
      const state = await breakerOf(base, 'search-index');
      expect(state.state).to.equal('open');
      expect(state.gauge).to.equal(2);
      if (kind === 'black-holed') expect(hole.accepted()).to.be.greaterThan(0);

      await sleep(OPEN_MS + 100);
      expect((await metricsOnly(base, 'search-index')).gauge, 'half-open').to.equal(1);
      expect((await search()).problem?.detail, 'the trial reached the client').to.not.match(
        /circuit breaker/,
      );
      expect((await metricsOnly(base, 'search-index')).gauge).to.equal(2);
    });
  }
});
