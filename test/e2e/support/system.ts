import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../support/redis-server';
import { childEnv } from '../../../shared-kernel/config/child-env';

/** dist/ (or a private build dir) root, found from this file's compiled place: <root>/test/e2e/support/. */
const DIST_ROOT = path.resolve(__dirname, '..', '..', '..');

export interface Answer {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export interface HttpClient {
  get(url: string, headers?: Record<string, string>): Promise<Answer>;
  post(url: string, body: object, headers?: Record<string, string>): Promise<Answer>;
}

export interface RunningSystem {
  command: HttpClient;
  query: HttpClient;
  dataDir: string;
  /** Everything the processes printed, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

function client(base: string): HttpClient {
  const call = async (
    method: string,
    url: string,
    body?: object,
    headers: Record<string, string> = {},
  ) => {
    const res = await fetch(`${base}${url}`, {
      method,
      headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
  };
  return {
    get: (url, headers) => call('GET', url, undefined, headers),
    post: (url, body, headers) => call('POST', url, body, headers),
  };
}

/**
 * Starts the system as `make run` does (`strata run`: command API, query API, worker) on a
 * temp data dir and free ports, and resolves once both APIs answer `/readyz` with 200.
 */
export async function startSystem(): Promise<RunningSystem> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'strata-e2e-'));
  const [commandPort, queryPort, workerPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const child: ChildProcess = spawn(
    process.execPath,
    ['--enable-source-maps', path.join(DIST_ROOT, 'projections', 'cli', 'main.js'), 'run'],
    {
      env: childEnv(process.env, {
        STRATA_DATA_DIR: dataDir,
        STRATA_COMMAND_PORT: String(commandPort),
        STRATA_QUERY_PORT: String(queryPort),
        STRATA_WORKER_PORT: String(workerPort),
        STRATA_LOG_FORMAT: 'json',
        LOG_LEVEL: 'warn',
        // A loaded CI box can lag the worker past the 2 s default; the specs test read-your-writes,
        // not the bound (the query API's own specs do), so give the wait room.
        STRATA_MIN_POSITION_WAIT_MS: '5000',
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const system: RunningSystem = {
    command: client(`http://127.0.0.1:${commandPort}`),
    query: client(`http://127.0.0.1:${queryPort}`),
    dataDir,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(killer);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  const deadline = Date.now() + 30_000;
  for (const api of [system.command, system.query]) {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`strata run exited early:\n${output}`);
      const ready = await api.get('/readyz').catch(() => null);
      if (ready?.status === 200) break;
      if (Date.now() > deadline) {
        await system.stop();
        throw new Error(`system not ready within 30 s:\n${output}`);
      }
      // Start-up only: the specs themselves never wait on a timer.
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return system;
}

/**
 * Re-asks until `check` accepts the answer, for what happens after a command without a
 * position to wait for (the saga's reaction). Each try is one HTTP round trip, no timer.
 */
export async function eventually(
  ask: () => Promise<Answer>,
  check: (a: Answer) => boolean,
  what: string,
): Promise<Answer> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const answer = await ask();
    if (check(answer)) return answer;
    if (Date.now() > deadline)
      throw new Error(`${what}: last answer ${answer.status} ${JSON.stringify(answer.body)}`);
  }
}
