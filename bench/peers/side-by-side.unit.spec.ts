import { expect } from 'chai';
import { createReport, type Report } from '../support/report';
import { countingFailures, failureCount, recordSideBySide, type SideBySide } from './side-by-side';

/** Records the phase without printing it, and returns the entries by name. */
function entriesOf(phase: SideBySide) {
  const report: Report = createReport('peers', {});
  const write = process.stdout.write;
  process.stdout.write = () => true;
  try {
    recordSideBySide(report, phase);
  } finally {
    process.stdout.write = write;
  }
  return new Map(report.entries.map((entry) => [entry.name, entry]));
}

describe('peers benchmark: side-by-side figures', () => {
  it('counts successful operations only: rates, the ratio and CPU per operation', () => {
    const failures = failureCount();
    for (let i = 0; i < 60; i += 1) failures.note(Object.assign(new Error('busy'), { code: 'X' }));
    const entries = entriesOf({
      name: 'appends',
      unit: 'appends/s',
      strata: { perSecond: 1_000, cpuMicrosEach: 50, operations: 100 },
      // 40 of 100 succeeded: 4 successful per second, at 100 * 10 / 40 µs each.
      emmett: { perSecond: 10, cpuMicrosEach: 10, operations: 100, failures },
      baseline: 500,
      planned: 200,
    });
    expect(entries.get('appends: Strata')).to.deep.include({ value: 1_000, ratio: 2 });
    expect(entries.get('appends: Emmett')!.value).to.equal(4);
    expect(entries.get('  Strata / Emmett, appends')!.value).to.equal(250);
    const cpu = entries.get('  CPU per operation, Strata (baseline: Emmett), appends')!;
    expect(cpu).to.deep.include({ value: 50, baseline: 25 });
    expect(entries.get('  failed operations, Emmett, appends')).to.deep.include({
      value: 60,
      unit: 'of 100: X 60 (busy)',
    });
    expect(entries.get('  operations run within the time budget, Strata, appends')!.value).to.equal(
      100,
    );
    expect(entries.has('  failed operations, Strata, appends')).to.equal(false);
  });

  it('leaves out the ratio and CPU comparison when a contender got nothing done', () => {
    const { operation, failures } = countingFailures(async () => {
      throw new TypeError('refused');
    });
    return Promise.all([operation(), operation()]).then(() => {
      const entries = entriesOf({
        name: 'commands',
        unit: 'commands/s',
        strata: { perSecond: 100, cpuMicrosEach: 5, operations: 10 },
        emmett: { perSecond: 2, cpuMicrosEach: 9, operations: 2, failures },
        baseline: 50,
      });
      expect(entries.get('commands: Emmett')!.value).to.equal(0);
      expect(entries.has('  Strata / Emmett, commands')).to.equal(false);
      expect(entries.has('  CPU per operation, Strata (baseline: Emmett), commands')).to.equal(
        false,
      );
      expect(entries.get('  failed operations, Emmett, commands')!.unit).to.equal(
        'of 2: TypeError 2 (refused)',
      );
    });
  });
});
