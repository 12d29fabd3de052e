/**
 * Until bench/hot-aggregates.ts exists on this branch: the projection phases of the
 * hot-aggregates benchmark on their own. Writes bench/results/hot-aggregates-projections.json.
 *
 *   node dist/bench/hot-aggregates/projections-main.js [--many-sku-orders=20000] [--one-sku-orders=5000]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchOptions } from '../support/options';
import { createReport, writeReport } from '../support/report';
import { auditPhases, sagaBacklogPhases, sagaLatencyPhase } from './projection-phases';

async function main(): Promise<void> {
  const options = benchOptions();
  const parameters = {
    manySkuOrders: options.integer('many-sku-orders', 20_000),
    oneSkuOrders: options.integer('one-sku-orders', 5_000),
    auditSmall: options.integer('audit-small', 10_000),
    auditLarge: options.integer('audit-large', 1_000_000),
    stateQueries: options.integer('state-queries', 1_000),
    latencyRate: options.integer('latency-rate', 500),
    latencySeconds: options.integer('latency-seconds', 20),
    phases: options.string('phases', 'saga,latency,audit'),
  };
  const report = createReport('hot-aggregates-projections', parameters);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-bench-hot-'));
  try {
    const phases = new Set(parameters.phases.split(','));
    if (phases.has('saga')) await sagaBacklogPhases({ report, dataDir, ...parameters });
    if (phases.has('latency')) await sagaLatencyPhase({ report, dataDir, ...parameters });
    if (phases.has('audit')) await auditPhases({ report, dataDir, ...parameters }, 'product');
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  const out = path.resolve(
    __dirname,
    '..',
    '..',
    '..',
    'bench',
    'results',
    'hot-aggregates-projections.json',
  );
  writeReport(report, options.string('out', out));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
