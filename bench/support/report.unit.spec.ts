import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { createReport, formatEntry, toEntry, writeReport } from './report';

describe('bench report', () => {
  it('works out the ratio to the baseline and whether an at-least goal is met', () => {
    const entry = toEntry({
      name: 'appends',
      value: 25_000,
      unit: 'appends/s',
      baseline: 10_000,
      goal: { atLeast: 20_000 },
    });
    expect(entry).to.deep.include({ ratio: 2.5, met: true, baseline: 10_000 });
    expect(
      toEntry({ name: 'a', value: 19_999, unit: 'x', goal: { atLeast: 20_000 } }).met,
    ).to.equal(false);
  });

  it('an at-most goal is met at or below its value; no goal or baseline gives nulls', () => {
    expect(toEntry({ name: 'p99', value: 5, unit: 'ms', goal: { atMost: 5 } }).met).to.equal(true);
    expect(toEntry({ name: 'p99', value: 5.1, unit: 'ms', goal: { atMost: 5 } }).met).to.equal(
      false,
    );
    expect(toEntry({ name: 'rss', value: 3, unit: 'MB' })).to.deep.include({
      baseline: null,
      ratio: null,
      goal: null,
      met: null,
    });
    expect(toEntry({ name: 'zero', value: 3, unit: 'x', baseline: 0 }).ratio).to.equal(null);
  });

  it('prints the figure, its baseline ratio and a NOT MET goal', () => {
    const line = formatEntry(
      toEntry({
        name: 'read',
        value: 1234.5,
        unit: 'events/s',
        baseline: 2469,
        goal: { atLeast: 2000 },
      }),
    );
    expect(line).to.contain('1,234.5 events/s').and.to.contain('x0.5').and.to.contain('NOT MET');
  });

  it('writes the report as JSON, creating the directory', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-report-'));
    try {
      const report = createReport('unit', { events: 10 });
      report.entries.push(toEntry({ name: 'x', value: 1, unit: 'u' }));
      const file = path.join(dir, 'nested', 'unit.json');
      const written: string[] = [];
      const write = process.stdout.write;
      process.stdout.write = ((chunk: string) => written.push(chunk) > 0) as typeof write;
      try {
        writeReport(report, file);
      } finally {
        process.stdout.write = write;
      }
      const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as typeof report;
      expect(parsed.entries).to.deep.equal(report.entries);
      expect(parsed.machine.cpus).to.be.greaterThan(0);
      expect(written.join('')).to.contain('0/0 goals met');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
