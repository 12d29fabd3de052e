import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A target a figure should meet; `atLeast` for rates, `atMost` for latencies and memory. */
export type Goal = { atLeast: number } | { atMost: number };

export interface ReportEntry {
  name: string;
  value: number;
  unit: string;
  /** The same operation done the plain way (e.g. raw driver calls), when there is one. */
  baseline: number | null;
  /** value / baseline, when there is a baseline. */
  ratio: number | null;
  goal: Goal | null;
  /** Whether the goal is met; null when there is no goal. */
  met: boolean | null;
}

export interface Report {
  benchmark: string;
  startedAt: string;
  machine: {
    cpus: number;
    cpuModel: string;
    totalMemoryMb: number;
    node: string;
    platform: string;
    /** 1-minute load average at the start and end: on a shared box, how noisy the run was. */
    loadAverage: { start: number; end: number | null };
  };
  parameters: Record<string, number | string>;
  entries: ReportEntry[];
}

export function createReport(benchmark: string, parameters: Report['parameters']): Report {
  const cpus = os.cpus();
  return {
    benchmark,
    startedAt: new Date().toISOString(),
    machine: {
      cpus: cpus.length,
      cpuModel: cpus[0]?.model ?? 'unknown',
      totalMemoryMb: Math.round(os.totalmem() / 2 ** 20),
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      loadAverage: { start: os.loadavg()[0] ?? 0, end: null },
    },
    parameters,
    entries: [],
  };
}

export interface Figure {
  name: string;
  value: number;
  unit: string;
  baseline?: number | null;
  goal?: Goal | null;
}

/** Adds a figure to the report and prints it. */
export function record(report: Report, figure: Figure): ReportEntry {
  const entry = toEntry(figure);
  report.entries.push(entry);
  process.stdout.write(`${formatEntry(entry)}\n`);
  return entry;
}

/** The figure with its ratio to the baseline and whether it meets its goal worked out. */
export function toEntry(entry: Figure): ReportEntry {
  const baseline = entry.baseline ?? null;
  const goal = entry.goal ?? null;
  const complete: ReportEntry = {
    name: entry.name,
    value: round(entry.value),
    unit: entry.unit,
    baseline: baseline === null ? null : round(baseline),
    ratio: baseline === null || baseline === 0 ? null : round(entry.value / baseline, 3),
    goal,
    met:
      goal === null
        ? null
        : 'atLeast' in goal
          ? entry.value >= goal.atLeast
          : entry.value <= goal.atMost,
  };
  return complete;
}

export function formatEntry(entry: ReportEntry): string {
  const parts = [
    `${entry.name.padEnd(52)} ${formatNumber(entry.value).padStart(12)} ${entry.unit}`,
  ];
  if (entry.baseline !== null) {
    parts.push(`baseline ${formatNumber(entry.baseline)} (x${entry.ratio ?? '?'})`);
  }
  if (entry.goal !== null) {
    const [op, target] =
      'atLeast' in entry.goal ? ['>=', entry.goal.atLeast] : ['<=', entry.goal.atMost];
    parts.push(`goal ${op} ${formatNumber(target)}: ${entry.met ? 'met' : 'NOT MET'}`);
  }
  return parts.join('  ');
}

/** Writes the report as JSON (creating the directory) and prints a one-line summary. */
export function writeReport(report: Report, file: string): void {
  report.machine.loadAverage.end = os.loadavg()[0] ?? 0;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  const goals = report.entries.filter((entry) => entry.met !== null);
  const met = goals.filter((entry) => entry.met).length;
  const { start, end } = report.machine.loadAverage;
  process.stdout.write(
    `\n${report.benchmark}: ${met}/${goals.length} goals met (load average ${start.toFixed(1)} -> ${end?.toFixed(1)} on ${report.machine.cpus} CPUs); report written to ${file}\n`,
  );
}

function round(value: number, digits = 1): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

function formatNumber(value: number): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: 2 });
}
