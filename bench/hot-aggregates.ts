/**
 * Hot-aggregates benchmark (not a test): what a command costs on ONE busy aggregate as its
 * history grows, and with many writers at once (the command API as a child process, driven over
 * HTTP, beside a plain read+insert server); how fast the fulfillment saga settles a backlog and
 * how long an order waits for its confirmation under a steady load (beside plain durable
 * commits); and what the audit trail of one long-lived aggregate costs in bytes and in
 * state-as-of queries (beside the log's own bytes and a single read). Each figure is measured
 * with its baseline in the same run. Phases live in bench/hot-aggregates/ (see phases.ts).
 *
 *   node dist/bench/hot-aggregates.js [--sizes=10,10000,100000,1000000] [--requests=300]
 *     [--warmup=5] [--seconds-per-size=60] [--writers=32] [--per-writer=20]
 *     [--many-sku-orders=20000] [--one-sku-orders=5000] [--latency-rate=500]
 *     [--latency-seconds=20,180] [--audit-small=10000] [--audit-large=1000000]
 *     [--state-queries=1000] [--audit-aggregates=stock,product] [--phases=a,b]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HOT_AGGREGATE_PHASES } from './hot-aggregates/phases';
import { benchOptions } from './support/options';
import { createReport, writeReport } from './support/report';

const options = benchOptions();
const out = options.string(
  'out',
  path.resolve(__dirname, '..', '..', 'bench', 'results', 'hot-aggregates.json'),
);

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-bench-hot-'));
  const wanted = options.string('phases', HOT_AGGREGATE_PHASES.map((p) => p.name).join(','));
  const report = createReport('hot-aggregates', {
    sizes: options.string('sizes', '10,10000,100000,1000000'),
    requests: options.integer('requests', 300),
    writers: options.integer('writers', 32),
    perWriter: options.integer('per-writer', 20),
  });
  try {
    for (const phase of HOT_AGGREGATE_PHASES) {
      if (!wanted.split(',').includes(phase.name)) continue;
      process.stdout.write(`\n== ${phase.title}\n`);
      await phase.run({ report, dataDir, options });
    }
    writeReport(report, out);
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench/hot-aggregates: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
