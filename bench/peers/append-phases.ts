import { appendConcurrently, appendTo, plainAppends } from '../support/append-work';
import { record } from '../support/report';
import { IN_FLIGHT, type PeersContext, type PeersSizes } from './peers-context';
import { failureCount, recordSideBySide } from './side-by-side';

/**
 * Single-event appends, each writer on its own stream with the exact expected revision, with 1
 * and with 32 in flight, on both stores; the baseline is one plain insert and commit per append
 * on Strata's table and pragmas, measured right before (the disk's fsync time drifts).
 */
export async function appendPhases(context: PeersContext, sizes: PeersSizes): Promise<void> {
  const { report, strata, emmett, plain } = context;
  const before = { ...strata.commitCounters() };
  for (const [writers, total] of [
    [1, sizes.appends],
    [IN_FLIGHT, sizes.concurrentAppends],
  ] as const) {
    const baseline = plainAppends(plain, total, 1);
    const budgetSeconds = sizes.phaseSeconds;
    const strataRun = await appendConcurrently(appendTo(strata), writers, total, 1, {
      budgetSeconds,
    });
    const failures = failureCount();
    const emmettRun = await appendConcurrently(emmett.append, writers, total, 1, {
      onFailure: (error) => failures.note(error),
      budgetSeconds,
    });
    recordSideBySide(report, {
      name: `single-event appends, ${writers} in flight`,
      unit: 'appends/s',
      strata: strataRun,
      emmett: { ...emmettRun, failures },
      baseline,
      planned: total,
    });
    record(report, {
      name: `  latency p99, Strata (baseline: Emmett), ${writers} in flight`,
      value: strataRun.latency.p99,
      unit: 'ms',
      baseline: emmettRun.latency.p99,
    });
  }
  const after = strata.commitCounters();
  record(report, {
    name: '  appends per commit, Strata (group commit; Emmett and the baseline: 1)',
    value: (after.appends - before.appends) / Math.max(1, after.commits - before.commits),
    unit: 'appends',
  });
}
