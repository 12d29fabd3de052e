import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Report, ReportEntry } from './support/report';

/**
 * `make bench`'s last step: gathers the JSON each benchmark wrote into bench/results/ into one
 * report (bench/report.json) and a markdown table (bench/report.md) with every figure beside its
 * baseline from the same run, the ratio, the goal, the machine and the date.
 */
const BENCH_DIR = path.resolve(__dirname, '..', '..', 'bench');
const RESULTS_DIR = path.join(BENCH_DIR, 'results');

export function readResults(dir: string): Report[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as Report);
}

function formatNumber(value: number | null): string {
  if (value === null) return '';
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
  return value.toFixed(2).replace(/\.?0+$/, '');
}

function goalText(entry: ReportEntry): string {
  if (entry.goal === null) return '';
  const bound =
    'atLeast' in entry.goal
      ? `>= ${formatNumber(entry.goal.atLeast)}`
      : `<= ${formatNumber(entry.goal.atMost)}`;
  return `${bound} ${entry.met ? 'met' : '**not met**'}`;
}

export function markdownTable(reports: Report[], now: Date): string {
  const first = reports[0];
  const lines = [
    `# Strata benchmark report`,
    '',
    `Date: ${now.toISOString()}. Machine: ${first ? `${first.machine.cpus} cores (${first.machine.cpuModel}), ${first.machine.totalMemoryMb} MB, Node ${first.machine.node}` : `${os.cpus().length} cores, Node ${process.version}`}.`,
    '',
    '| benchmark | figure | value | unit | baseline (same run) | ratio | goal | load avg start/end |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const report of reports) {
    const load = `${report.machine.loadAverage.start.toFixed(1)}/${report.machine.loadAverage.end?.toFixed(1) ?? '?'}`;
    for (const entry of report.entries) {
      lines.push(
        `| ${report.benchmark} | ${entry.name} | ${formatNumber(entry.value)} | ${entry.unit} | ${formatNumber(entry.baseline)} | ${formatNumber(entry.ratio)} | ${goalText(entry)} | ${load} |`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

if (require.main === module) {
  const reports = readResults(RESULTS_DIR);
  if (reports.length === 0) {
    process.stderr.write('bench report: no results in bench/results (run `make bench`)\n');
    process.exitCode = 1;
  } else {
    const now = new Date();
    fs.writeFileSync(
      path.join(BENCH_DIR, 'report.json'),
      `${JSON.stringify({ generatedAt: now.toISOString(), reports }, null, 2)}\n`,
    );
    const table = markdownTable(reports, now);
    fs.writeFileSync(path.join(BENCH_DIR, 'report.md'), table);
    process.stdout.write(table);
  }
}
