import { record, type Report } from '../support/report';

/** One contender's figures for a phase: a rate, its CPU cost, and what failed. */
export interface Contender {
  /** Operations run per second, failed ones included. */
  perSecond: number;
  cpuMicrosEach: number;
  /** Operations run (fewer than planned when the phase's time budget ran out). */
  operations?: number;
  failures?: FailureCount;
}

export interface SideBySide {
  /** e.g. "single-event appends, 1 in flight". */
  name: string;
  unit: string;
  strata: Contender;
  emmett: Contender;
  /** Plain better-sqlite3 doing the same inserts and reads, in the same run. */
  baseline: number;
  /** Operations each contender was given. */
  planned?: number;
}

/**
 * A phase's figures: Strata and Emmett each beside the raw baseline, Strata's rate and CPU cost
 * as ratios to Emmett's, and what either failed or left undone. Rates and CPU count successful
 * operations only: a refused command or a failed append is no work done.
 */
export function recordSideBySide(report: Report, phase: SideBySide): void {
  const [strata, emmett] = [successful(phase.strata), successful(phase.emmett)];
  const { baseline, unit } = phase;
  record(report, { name: `${phase.name}: Strata`, value: strata.perSecond, unit, baseline });
  record(report, { name: `${phase.name}: Emmett`, value: emmett.perSecond, unit, baseline });
  if (emmett.perSecond > 0) {
    record(report, {
      name: `  Strata / Emmett, ${phase.name}`,
      value: strata.perSecond / emmett.perSecond,
      unit: 'x',
    });
  }
  if (strata.done > 0 && emmett.done > 0) {
    record(report, {
      name: `  CPU per operation, Strata (baseline: Emmett), ${phase.name}`,
      value: strata.cpuMicrosEach,
      unit: 'µs',
      baseline: emmett.cpuMicrosEach,
    });
  }
  for (const [who, contender] of [
    ['Strata', phase.strata],
    ['Emmett', phase.emmett],
  ] as const) {
    const { operations, failures } = contender;
    if (phase.planned !== undefined && operations !== undefined && operations < phase.planned) {
      record(report, {
        name: `  operations run within the time budget, ${who}, ${phase.name}`,
        value: operations,
        unit: `of ${phase.planned}`,
      });
    }
    if (failures !== undefined && failures.count > 0) {
      record(report, {
        name: `  failed operations, ${who}, ${phase.name}`,
        value: failures.count,
        unit: `of ${operations ?? '?'}: ${describe(failures)}`,
      });
    }
  }
}

/** Rate and CPU cost of the operations that succeeded. */
function successful(contender: Contender) {
  const { perSecond, cpuMicrosEach, operations, failures } = contender;
  const failed = failures?.count ?? 0;
  if (operations === undefined) return { perSecond, cpuMicrosEach, done: 1 };
  const done = operations - failed;
  if (done <= 0) return { perSecond: 0, cpuMicrosEach: 0, done: 0 };
  return {
    perSecond: (perSecond * done) / operations,
    cpuMicrosEach: (cpuMicrosEach * operations) / done,
    done,
  };
}

/** Operations a store refused or failed, by kind (error code or name) with the first message. */
export interface FailureCount {
  count: number;
  byKind: Map<string, { count: number; first: string }>;
  note(error: unknown): void;
}

export function failureCount(): FailureCount {
  const failures: FailureCount = {
    count: 0,
    byKind: new Map(),
    note(error) {
      failures.count += 1;
      const code = (error as { code?: unknown } | null)?.code;
      const kind = typeof code === 'string' ? code : error instanceof Error ? error.name : 'thrown';
      const seen = failures.byKind.get(kind);
      if (seen) seen.count += 1;
      else failures.byKind.set(kind, { count: 1, first: messageOf(error) });
    },
  };
  return failures;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The commonest kinds first: "SQLITE_BUSY 300 (...); Error 11 (...)". */
function describe(failures: FailureCount): string {
  return [...failures.byKind]
    .sort((a, b) => b[1].count - a[1].count)
    .slice(0, 3)
    .map(([kind, { count, first }]) => `${kind} ${count} (${first.slice(0, 80)})`)
    .join('; ');
}

/**
 * Wraps an operation so a rejection is counted instead of ending the run: under contention a
 * store may give up on a command, and how often it does is a figure of its own.
 */
export function countingFailures<A extends unknown[]>(
  operation: (...args: A) => Promise<unknown>,
): { operation: (...args: A) => Promise<void>; failures: FailureCount } {
  const failures = failureCount();
  return {
    failures,
    operation: async (...args) => {
      try {
        await operation(...args);
      } catch (error) {
        failures.note(error);
      }
    },
  };
}
