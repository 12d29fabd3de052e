/**
 * Tracing overhead benchmark (not a test): the command API as a child process on the embedded
 * store, driven over HTTP by keep-alive clients from this process, three ways on the same seeded
 * catalog:
 *
 * - today: the command API as it was before tracing was wired in (`--today=<commit>`, built from
 *   `git archive` into a temporary directory), the raw baseline;
 * - tracing off: this tree, no OTEL_* variables (the default);
 * - tracing on: this tree exporting every span over OTLP/HTTP to a sink process that counts and
 *   drops them (otlp-sink-server.ts), so what is measured is the command API's own cost.
 *
 * Runs alternate (today, off, on, on, off, today), with the commands benchmark's mix, so the
 * machine's drift falls on each alike; each run starts from its own copy of the seeded store,
 * so no run pays for the history the runs before it appended;
 * each figure is the mean of its two runs. Goals (issue 17): off within 3% of today, on within
 * 15% of today. Prints each figure and writes bench/results/tracing.json.
 *
 *   node dist/bench/tracing.js [--aggregates=5000] [--clients=32] [--seconds=8] [--today=9abed0e]
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startChildService } from './support/child-service';
import { commandMix } from './support/command-mix';
import { runHttpLoad } from './support/http-load';
import { benchOptions } from './support/options';
import { createReport, record, writeReport } from './support/report';
import { seedCatalog } from './support/seed-catalog';

const options = benchOptions();
const aggregates = options.integer('aggregates', 5_000);
const clients = options.integer('clients', 32);
const seconds = options.integer('seconds', 8);
/** The last commit whose command API had no tracing at all (main before issue 17's wiring). */
const today = options.string('today', '9abed0e');
const ROOT = path.resolve(__dirname, '..', '..');
const out = options.string('out', path.join(ROOT, 'bench', 'results', 'tracing.json'));

type Variant = 'today' | 'off' | 'on';
const ORDER: Variant[] = ['today', 'off', 'on', 'on', 'off', 'today'];

/**
 * The command API of `commit`, compiled from its own sources (only what write-side/main.ts
 * imports) into `dir`, with this tree's node_modules: the same dependencies, the older code.
 */
function buildCommandApiAt(commit: string, dir: string): string {
  const archive = path.join(dir, 'sources.tar');
  const folders = ['shared-kernel', 'write-side', 'projections', 'read-side', 'tsconfig.json'];
  execFileSync('git', ['-C', ROOT, 'archive', `--output=${archive}`, commit, ...folders]);
  execFileSync('tar', ['-xf', archive, '-C', dir]);
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  const config = {
    extends: './tsconfig.json',
    compilerOptions: { incremental: false },
    files: ['write-side/main.ts'],
    include: [],
  };
  fs.writeFileSync(path.join(dir, 'tsconfig.today.json'), JSON.stringify(config));
  execFileSync(path.join(ROOT, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.today.json'], {
    cwd: dir,
    stdio: 'inherit',
  });
  return path.join(dir, 'dist', 'write-side', 'main.js');
}

async function main(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-bench-tracing-'));
  const dataDir = path.join(work, 'data');
  fs.mkdirSync(dataDir);
  const report = createReport('tracing', {
    aggregates,
    clients,
    seconds,
    today,
    runs: ORDER.join(','),
  });
  const sink = await startChildService(path.join(__dirname, 'support', 'otlp-sink-server.js'), {});
  try {
    const todayDir = path.join(work, 'today');
    fs.mkdirSync(todayDir);
    process.stdout.write(`building the command API of ${today} (the baseline)...\n`);
    const mains: Record<Variant, string> = {
      today: buildCommandApiAt(today, todayDir),
      off: path.join(ROOT, 'dist', 'write-side', 'main.js'),
      on: path.join(ROOT, 'dist', 'write-side', 'main.js'),
    };
    const { productIds, skus } = await seedCatalog(dataDir, aggregates);
    const next = commandMix(productIds, skus);
    const rates: Record<Variant, number[]> = { today: [], off: [], on: [] };
    const p99s: Record<Variant, number[]> = { today: [], off: [], on: [] };
    // CPU time of the API process per command: steadier than rates on a shared machine.
    const cpuMicros: Record<Variant, number[]> = { today: [], off: [], on: [] };
    const conflicts: Record<Variant, number> = { today: 0, off: 0, on: 0 };
    for (const [index, variant] of ORDER.entries()) {
      const runDir = path.join(work, `run-${index}`);
      fs.cpSync(dataDir, runDir, { recursive: true });
      const api = await startChildService(mains[variant], {
        STRATA_DATA_DIR: runDir,
        STRATA_COMMAND_PORT: '0',
        STRATA_RATE_LIMIT_PER_MINUTE: '0',
        STRATA_LOG_FORMAT: 'json',
        LOG_LEVEL: 'info', // the port is in the 'listening' info line
        OTEL_EXPORTER_OTLP_ENDPOINT: variant === 'on' ? `http://127.0.0.1:${sink.port}` : undefined,
        OTEL_SERVICE_NAME: 'command-api-bench',
      });
      try {
        await runHttpLoad({ port: api.port, clients, seconds: 2, next: () => next() });
        const cpuBefore = api.cpuSeconds();
        const run = await runHttpLoad({ port: api.port, clients, seconds, next: () => next() });
        const cpuAfter = api.cpuSeconds();
        if (cpuBefore !== null && cpuAfter !== null && run.requests > 0) {
          cpuMicros[variant].push(((cpuAfter - cpuBefore) * 1e6) / run.requests);
        }
        // A 409 is a conflict whose retry budget (5 s) ran out on a hot stream: an answer under
        // contention (a loaded machine makes them), counted; anything else fails the benchmark.
        const { 409: conflicted = 0, ...others } = run.failures;
        conflicts[variant] += conflicted;
        const failed = Object.values(others).reduce((sum, n) => sum + n, 0);
        if (failed > 0)
          throw new Error(`${variant}: ${failed} commands failed ${JSON.stringify(run.failures)}`);
        rates[variant].push(run.perSecond);
        p99s[variant].push(run.latency.p99);
        process.stdout.write(
          `  ${variant}: ${run.perSecond.toFixed(0)} commands/s, p99 ${run.latency.p99.toFixed(1)} ms (load ${os.loadavg()[0]?.toFixed(1)})\n`,
        );
      } finally {
        await api.stop();
        fs.rmSync(runDir, { recursive: true, force: true });
      }
    }
    const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;
    const baseline = mean(rates.today);
    record(report, {
      name: 'commands over HTTP, before tracing (today)',
      value: baseline,
      unit: 'commands/s',
    });
    record(report, {
      name: 'commands over HTTP, tracing off',
      value: mean(rates.off),
      unit: 'commands/s',
      baseline,
      goal: { atLeast: 0.97 * baseline },
    });
    record(report, {
      name: 'commands over HTTP, tracing on (OTLP exporter)',
      value: mean(rates.on),
      unit: 'commands/s',
      baseline,
      goal: { atLeast: 0.85 * baseline },
    });
    for (const variant of ['today', 'off', 'on'] as const) {
      record(report, {
        name: `commands answered 409 (conflict retries ran out), ${variant}`,
        value: conflicts[variant],
        unit: 'commands',
      });
      record(report, {
        name: `command latency p99, ${variant}`,
        value: mean(p99s[variant]),
        unit: 'ms',
        baseline: mean(p99s.today),
      });
    }
    if (cpuMicros.today.length > 0) {
      const cpuBaseline = mean(cpuMicros.today);
      const goals = {
        today: null,
        off: { atMost: 1.03 * cpuBaseline },
        on: { atMost: 1.15 * cpuBaseline },
      };
      for (const variant of ['today', 'off', 'on'] as const) {
        record(report, {
          name: `API process CPU per command, ${variant}`,
          value: mean(cpuMicros[variant]),
          unit: 'us',
          baseline: cpuBaseline,
          goal: goals[variant],
        });
      }
    }
    const received = (await (await fetch(`http://127.0.0.1:${sink.port}/received`)).json()) as {
      requests: number;
      bytes: number;
    };
    // Tracing on must really have exported: otherwise the "on" figure measured nothing.
    record(report, {
      name: 'OTLP export requests received (tracing on)',
      value: received.requests,
      unit: 'requests',
      goal: { atLeast: 1 },
    });
    record(report, {
      name: 'OTLP bytes received (tracing on)',
      value: received.bytes / 1024,
      unit: 'KiB',
    });
    writeReport(report, out);
  } finally {
    await sink.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench/tracing: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
