/**
 * Commands benchmark (not a test): the command API as a child process on the embedded store,
 * driven over HTTP by 64 keep-alive clients from this process, against a plain Express process
 * doing one durable prepared insert per request. Prints each figure and writes
 * bench/results/commands.json.
 *
 *   node dist/bench/commands.js [--aggregates=10000] [--clients=64] [--seconds=15] [--out=...]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startChildService } from './support/child-service';
import { commandMix } from './support/command-mix';
import { runHttpLoad } from './support/http-load';
import { fsyncLatencyMs } from './support/measure';
import { seedCatalog } from './support/seed-catalog';
import { benchOptions } from './support/options';
import { createReport, record, writeReport } from './support/report';

const options = benchOptions();
const aggregates = options.integer('aggregates', 10_000);
const clients = options.integer('clients', 64);
const seconds = options.integer('seconds', 15);
const out = options.string(
  'out',
  path.resolve(__dirname, '..', '..', 'bench', 'results', 'commands.json'),
);

/** CPU microseconds per request of a child over a run, or null without /proc. */
function cpuMicrosEach(before: number | null, after: number | null, requests: number) {
  return before === null || after === null || requests === 0
    ? null
    : ((after - before) * 1e6) / requests;
}

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-bench-commands-'));
  const report = createReport('commands', {
    aggregates,
    clients,
    seconds,
    mix: '35% price, 35% receipts, 30% orders',
  });
  try {
    record(report, {
      name: 'fsync of a 4 KiB write (median)',
      value: fsyncLatencyMs(dataDir),
      unit: 'ms',
    });
    const { productIds, skus } = await seedCatalog(dataDir, aggregates);
    const api = await startChildService(path.join(__dirname, '..', 'write-side', 'main.js'), {
      STRATA_DATA_DIR: dataDir,
      STRATA_COMMAND_PORT: '0',
      // The load is one client at 64 connections: the per-caller rate limit would measure itself.
      STRATA_RATE_LIMIT_PER_MINUTE: '0',
      LOG_LEVEL: 'info',
      STRATA_LOG_FORMAT: 'json',
    });
    const next = commandMix(productIds, skus);
    await runHttpLoad({ port: api.port, clients, seconds: 2, next: () => next() }); // warm-up
    const apiCpuBefore = api.cpuSeconds();
    const commands = await runHttpLoad({ port: api.port, clients, seconds, next: () => next() });
    const apiCpu = cpuMicrosEach(apiCpuBefore, api.cpuSeconds(), commands.requests);
    await api.stop();

    const plain = await startChildService(
      path.join(__dirname, 'support', 'plain-insert-server.js'),
      { BENCH_DATA_DIR: dataDir },
    );
    const body = { productId: productIds[0], price: { amount: 1234, currency: 'EUR' } };
    await runHttpLoad({
      port: plain.port,
      clients,
      seconds: 2,
      next: () => ({ method: 'POST', path: '/writes', body }),
    });
    const plainCpuBefore = plain.cpuSeconds();
    const baseline = await runHttpLoad({
      port: plain.port,
      clients,
      seconds,
      next: () => ({ method: 'POST', path: '/writes', body }),
    });
    const plainCpu = cpuMicrosEach(plainCpuBefore, plain.cpuSeconds(), baseline.requests);
    await plain.stop();

    record(report, {
      name: 'commands over HTTP',
      value: commands.perSecond,
      unit: 'commands/s',
      baseline: baseline.perSecond,
      goal: { atLeast: 3500 },
    });
    record(report, {
      name: 'command latency p50',
      value: commands.latency.p50,
      unit: 'ms',
      baseline: baseline.latency.p50,
    });
    record(report, {
      name: 'command latency p99',
      value: commands.latency.p99,
      unit: 'ms',
      baseline: baseline.latency.p99,
      goal: { atMost: 25 },
    });
    record(report, { name: 'command latency max', value: commands.latency.max, unit: 'ms' });
    const failed = Object.values(commands.failures).reduce((sum, n) => sum + n, 0);
    record(report, {
      name: 'commands answered outside 2xx',
      value: failed,
      unit: 'requests',
      goal: { atMost: 0 },
    });
    if (failed > 0)
      process.stdout.write(`failures by status: ${JSON.stringify(commands.failures)}\n`);
    record(report, {
      name: 'plain insert per request (baseline)',
      value: baseline.perSecond,
      unit: 'requests/s',
    });
    if (apiCpu !== null) {
      record(report, {
        name: 'API process CPU per command (steadier than wall-clock rates)',
        value: apiCpu,
        unit: 'us',
        baseline: plainCpu,
      });
    }
    writeReport(report, out);
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench/commands: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
