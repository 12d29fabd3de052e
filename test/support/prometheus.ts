import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './redis-server';
import { startServerBinary } from './server-binary';

/** docker/prometheus/ of the repository, found upwards from wherever this file was compiled. */
export function prometheusDir(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'docker', 'prometheus');
    if (existsSync(path.join(candidate, 'alerts.yml'))) return candidate;
  }
  throw new Error(`no docker/prometheus/alerts.yml above ${__dirname}`);
}

/** Debian's `prometheus` package brings both; under CI=true .ci/run installs it. */
export function prometheusInstalled(): boolean {
  return ['prometheus', 'promtool'].every((tool) => {
    const probe = spawnSync(tool, ['--version'], { stdio: 'ignore' });
    return probe.error === undefined && probe.status === 0;
  });
}

/** Runs promtool with `args` from docker/prometheus/, resolving with its exit code and output. */
export function promtool(args: string[]): { status: number | null; output: string } {
  const run = spawnSync('promtool', args, {
    cwd: prometheusDir(),
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    timeout: 60_000,
  });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

export interface PrometheusAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: 'pending' | 'firing';
  value: string;
}

export interface TestPrometheus {
  readonly url: string;
  targets(): Promise<{ job: string; health: string; lastError: string }[]>;
  alerts(): Promise<PrometheusAlert[]>;
  /** An instant query; one number per result series. */
  query(expr: string): Promise<{ labels: Record<string, string>; value: number }[]>;
  stop(): Promise<void>;
}

export interface PrometheusOptions {
  /** `host:port` per job of docker/prometheus/prometheus.yml (`command-api`, ...). */
  targets: Record<string, string>;
  /** Scrape and rule evaluation interval, e.g. `1s`. */
  interval: string;
  /** Every `for:` of the rules becomes this, so an alert can fire within a test. */
  alertFor: string;
  /** Every range of the rules (`[5m]`) becomes this. */
  range: string;
}

/**
 * A real Prometheus on a free loopback port with its own temp storage, running the repository's
 * scrape config (job names and rule file as they are; targets, intervals and the rules' `for:`
 * and ranges shortened so an alert fires within seconds). `stop()` ends it and removes its files.
 */
export async function startPrometheus(options: PrometheusOptions): Promise<TestPrometheus> {
  const source = prometheusDir();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'strata-prometheus-'));
  let config = readFileSync(path.join(source, 'prometheus.yml'), 'utf8')
    .replace(/^(\s*(?:scrape|evaluation)_interval:).*$/gm, `$1 ${options.interval}`)
    .replace(/^(\s*scrape_timeout:).*$/gm, `$1 ${options.interval}`);
  for (const job of [...config.matchAll(/job_name: (\S+)/g)].map((m) => m[1]!)) {
    const target = options.targets[job];
    if (!target) throw new Error(`no target given for the job ${job}`);
    config = config.replace(
      new RegExp(`(job_name: ${job}\\n\\s*static_configs:\\n\\s*- targets: )\\[.*\\]`),
      `$1['${target}']`,
    );
  }
  writeFileSync(path.join(dir, 'prometheus.yml'), config);
  writeFileSync(
    path.join(dir, 'alerts.yml'),
    readFileSync(path.join(source, 'alerts.yml'), 'utf8')
      .replace(/^(\s*for:).*$/gm, `$1 ${options.alertFor}`)
      .replace(/\[\d+[smh]\]/g, `[${options.range}]`),
  );
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const server = await startServerBinary({
    name: 'Prometheus',
    command: 'prometheus',
    args: [
      `--config.file=${path.join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    dir,
    ready: async () => (await fetch(`${url}/-/ready`)).status === 200,
  });
  const api = async <T>(pathAndQuery: string): Promise<T> => {
    const response = await fetch(`${url}${pathAndQuery}`);
    const body = (await response.json()) as { status: string; data: T; error?: string };
    if (body.status !== 'success') throw new Error(`Prometheus ${pathAndQuery}: ${body.error}`);
    return body.data;
  };
  return {
    url,
    async targets() {
      const data = await api<{
        activeTargets: { labels: { job: string }; health: string; lastError: string }[];
      }>('/api/v1/targets?state=active');
      return data.activeTargets.map((t) => ({
        job: t.labels.job,
        health: t.health,
        lastError: t.lastError,
      }));
    },
    alerts: async () => (await api<{ alerts: PrometheusAlert[] }>('/api/v1/alerts')).alerts,
    async query(expr) {
      const data = await api<{
        result: { metric: Record<string, string>; value: [number, string] }[];
      }>(`/api/v1/query?query=${encodeURIComponent(expr)}`);
      return data.result.map((r) => ({ labels: r.metric, value: Number(r.value[1]) }));
    },
    stop: () => server.stop(),
  };
}
