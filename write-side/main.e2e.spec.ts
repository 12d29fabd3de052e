import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startChildService, type ChildService } from '../bench/support/child-service';
import { openSqliteEventStore } from '../shared-kernel/event-store/sqlite';
import { newId } from '../shared-kernel/ids';
import { snapshotVersionOf } from './command-handling/snapshot-version';
import { skipOrFail } from '../test/support/availability';
import {
  redisServerInstalled,
  startRedisServer,
  type TestRedisServer,
} from '../test/support/redis-server';
import { childEnv } from '../shared-kernel/config/child-env';

const MAIN = path.join(__dirname, 'main.js');

async function post(port: number, body: object): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}/products`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  await res.arrayBuffer();
  return res.status;
}

const product = (productId: string) => ({
  productId,
  sku: `E2E-${productId.slice(-12)}`,
  name: 'Lamp',
  category: 'home',
  price: { amount: 4500, currency: 'EUR' },
});

describe('command API process (write-side/main.js)', function () {
  this.timeout(30_000);
  let dataDir: string;
  let api: ChildService | undefined;
  beforeEach(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'strata-e2e-'));
    api = await startChildService(MAIN, {
      STRATA_DATA_DIR: dataDir,
      STRATA_COMMAND_PORT: '0',
      STRATA_LOG_FORMAT: 'json',
    });
  });
  afterEach(async () => {
    await api?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves commands, livez, readyz and metrics on the port it logs', async () => {
    const base = `http://127.0.0.1:${api!.port}`;
    expect(await post(api!.port, product(newId()))).to.equal(201);
    expect((await fetch(`${base}/livez`)).status).to.equal(200);
    const ready = (await (await fetch(`${base}/readyz`)).json()) as {
      status: string;
      warnings: string[];
    };
    expect(ready.status).to.equal('ready');
    // No STRATA_JWT_* key here: the process runs open and says so.
    expect(ready.warnings[0]).to.match(/^authentication is off/);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).to.match(
      /strata_http_request_duration_seconds_count\{method="POST",route="\/products",status="201"\} 1/,
    );
  });

  it('stores a snapshot every STRATA_SNAPSHOT_EVERY events and answers from it', async () => {
    const snapshotting = await startChildService(MAIN, {
      STRATA_DATA_DIR: dataDir,
      STRATA_COMMAND_PORT: '0',
      STRATA_LOG_FORMAT: 'json',
      STRATA_SNAPSHOT_EVERY: '3',
    });
    try {
      const { sku } = product(newId());
      expect(await post(snapshotting.port, { ...product(newId()), sku })).to.equal(201);
      for (let n = 0; n < 7; n += 1) {
        const res = await fetch(`http://127.0.0.1:${snapshotting.port}/inventory/${sku}/receipts`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ quantity: 2 }),
        });
        expect(res.status).to.equal(200);
        expect(((await res.json()) as { streamRevision: number }).streamRevision).to.equal(n);
      }
      await snapshotting.stop();
      const store = openSqliteEventStore({ dataDir });
      const snapshot = await store.readSnapshot(`stock-${sku}`, snapshotVersionOf('stock'));
      await store.close();
      // Written after answering, so the exact revision depends on timing; its state matches it.
      expect(snapshot?.revision).to.be.within(4, 6);
      expect(snapshot?.state).to.deep.include({ onHand: 2 * (snapshot!.revision + 1) });
    } finally {
      await snapshotting.stop();
    }
  });

  it('on SIGTERM finishes what it accepted, exits 0, and every acknowledged command is stored', async () => {
    const ids = Array.from({ length: 30 }, () => newId());
    const answers = ids.map((id) => post(api!.port, product(id)).catch(() => 0));
    // Stop as soon as the first is answered: the others are in flight or queued.
    await Promise.race(answers);
    const code = await api!.stop();
    api = undefined;
    const statuses = await Promise.all(answers);
    expect(code).to.equal(0);
    for (const status of statuses) expect([0, 201]).to.include(status);
    expect(statuses).to.include(201);
    const store = openSqliteEventStore({ dataDir });
    try {
      for (const [i, id] of ids.entries()) {
        let stored = 0;
        for await (const _ of store.readStream(`product-${id}`)) stored += 1;
        if (statuses[i] === 201) expect(stored, `acknowledged product ${id}`).to.equal(1);
      }
    } finally {
      await store.close();
    }
  });
});

describe('command API process: bad configuration', () => {
  it('exits 1 naming every bad variable', () => {
    const run = spawnSync(process.execPath, [MAIN], {
      env: childEnv(process.env, {
        STRATA_COMMAND_PORT: '99999',
        STRATA_BODY_LIMIT_BYTES: 'lots',
        STRATA_SNAPSHOT_EVERY: '-1',
        ESDB_URL: 'http://x',
      }),
      encoding: 'utf8',
      timeout: 15_000,
    });
    expect(run.status).to.equal(1);
    const names = ['STRATA_COMMAND_PORT', 'STRATA_BODY_LIMIT_BYTES', 'STRATA_SNAPSHOT_EVERY'];
    for (const name of [...names, 'ESDB_URL']) expect(run.stderr).to.contain(name);
  });
});

describe('command API process with REDIS_URL', function () {
  this.timeout(40_000);
  let redis: TestRedisServer | undefined;
  let dataDir: string;
  before(async function () {
    if (!redisServerInstalled()) skipOrFail(this, 'redis-server is not installed', true);
    redis = await startRedisServer();
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'strata-e2e-redis-'));
  });
  after(async () => {
    await redis?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps idempotency records in Redis, so a replay survives a restart of the API', async () => {
    const env = { STRATA_DATA_DIR: dataDir, STRATA_COMMAND_PORT: '0', REDIS_URL: redis!.url };
    const key = newId();
    const productId = newId();
    const send = (port: number) =>
      fetch(`http://127.0.0.1:${port}/products`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify(product(productId)),
      });
    const first = await startChildService(MAIN, env);
    const original = await send(first.port);
    const originalBody = await original.json();
    expect(await first.stop()).to.equal(0);
    const second = await startChildService(MAIN, env);
    try {
      const replay = await send(second.port);
      expect(replay.status).to.equal(201);
      expect(replay.headers.get('idempotent-replayed')).to.equal('true');
      expect(await replay.json()).to.deep.equal(originalBody);
    } finally {
      await second.stop();
    }
  });
});
