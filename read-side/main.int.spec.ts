import { expect } from 'chai';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../test/support/redis-server';
import { childEnv } from '../shared-kernel/config/child-env';

/** The compiled query process, started as `strata run` starts it. */
describe('query API process (read-side/main.js)', function () {
  this.timeout(30_000);
  let dir: string;
  let child: ChildProcess | null = null;
  let output = '';

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'strata-query-'));
    output = '';
  });
  afterEach(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child?.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  async function start(env: Record<string, string>): Promise<string> {
    const port = await freePort();
    child = spawn(process.execPath, [path.join(__dirname, 'main.js')], {
      env: childEnv(process.env, {
        STRATA_DATA_DIR: dir,
        STRATA_QUERY_PORT: String(port),
        STRATA_LOG_FORMAT: 'json',
        ...env,
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
    const listening = new Promise<void>((resolve, reject) => {
      child?.stdout?.on('data', () => output.includes('query API listening') && resolve());
      child?.once('exit', (code) => reject(new Error(`exited ${code}: ${output}`)));
    });
    await listening;
    return `http://127.0.0.1:${port}`;
  }

  it('starts and answers with no event store at all: ESDB_URL is ignored and no events.db is made', async () => {
    const base = await start({ ESDB_URL: 'not a url at all', KAFKA_BROKERS: 'garbage' });
    expect((await fetch(`${base}/livez`)).status).to.equal(200);
    const list = await fetch(`${base}/products`);
    expect(list.status).to.equal(200);
    expect(await list.json()).to.deep.equal({ items: [], nextCursor: null });
    expect(list.headers.get('x-projection-position')).to.equal('0');
    expect((await fetch(`${base}/orders/0190f5a2-0000-7000-8000-00000000000a`)).status).to.equal(
      404,
    );
    // Without a worker the search index is not built: not ready, and searches say so.
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).to.equal(503);
    expect(((await ready.json()) as { detail: string }).detail).to.contain('searchIndex');
    expect((await fetch(`${base}/products/search?q=x`)).status).to.equal(503);
    const files = readdirSync(dir);
    expect(files.some((f) => f.startsWith('events'))).to.equal(false);
    expect(files).to.include('read-models.db');
  });

  it('never shows the password of ELASTICSEARCH_URL: not in a 503 body, not in a log line', async () => {
    const password = 'pw-8d1f-never-shown';
    const away = await freePort(); // nothing listens: every search call fails
    const base = await start({
      ELASTICSEARCH_URL: `http://elastic:${password}@127.0.0.1:${away}`,
      ELASTICSEARCH_REQUEST_TIMEOUT_MS: '500',
    });
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).to.equal(503);
    expect(await ready.text()).to.contain('searchIndex unavailable');
    // The search's own 503 names the node it could not reach, with the credentials masked.
    const search = await fetch(`${base}/products/search?q=x`);
    expect(search.status).to.equal(503);
    const body = await search.text();
    expect(body).to.contain(`http://***@127.0.0.1:${away}`).and.not.contain(password);
    expect(output).to.contain(`127.0.0.1:${away}`);
    expect(output).to.not.contain(password);
  });

  it('stops cleanly on SIGTERM', async () => {
    await start({});
    const exited = new Promise<number | null>((resolve) =>
      child?.once('exit', (code) => resolve(code)),
    );
    child?.kill('SIGTERM');
    expect(await exited).to.equal(0);
    expect(output).to.contain('stopped');
  });

  it('refuses bad configuration, naming every bad variable, and exits 1', () => {
    const run = spawnSync(process.execPath, [path.join(__dirname, 'main.js')], {
      env: childEnv(process.env, {
        STRATA_DATA_DIR: dir,
        STRATA_QUERY_PORT: '99999',
        STRATA_MIN_POSITION_WAIT_MS: 'soon',
        REDIS_URL: 'http://x',
      }),
      encoding: 'utf8',
    });
    expect(run.status).to.equal(1);
    for (const name of ['STRATA_QUERY_PORT', 'STRATA_MIN_POSITION_WAIT_MS', 'REDIS_URL'])
      expect(run.stderr).to.contain(name);
    expect(existsSync(path.join(dir, 'read-models.db'))).to.equal(false);
  });
});
