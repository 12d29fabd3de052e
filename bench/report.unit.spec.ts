import { expect } from 'chai';
import { markdownTable } from './report';
import type { Report } from './support/report';

describe('bench report table', () => {
  it('puts each figure beside its baseline, ratio and goal, with the machine and date', () => {
    const report: Report = {
      benchmark: 'event-store',
      startedAt: '2026-01-01T00:00:00.000Z',
      machine: {
        cpus: 2,
        cpuModel: 'test cpu',
        totalMemoryMb: 1024,
        node: 'v20.19.0',
        platform: 'linux-x64',
        loadAverage: { start: 1.25, end: 2 },
      },
      parameters: {},
      entries: [
        {
          name: '64 in flight',
          value: 17131,
          unit: 'appends/s',
          baseline: 7772,
          ratio: 2.204,
          goal: { atLeast: 20000 },
          met: false,
        },
        {
          name: 'p99',
          value: 12.6,
          unit: 'ms',
          baseline: null,
          ratio: null,
          goal: { atMost: 25 },
          met: true,
        },
      ],
    };
    const table = markdownTable([report], new Date('2026-11-21T00:00:00.000Z'));
    expect(table)
      .to.contain('2026-11-21T00:00:00.000Z')
      .and.contain('2 cores (test cpu)')
      .and.contain('Node v20.19.0');
    expect(table).to.contain(
      '| event-store | 64 in flight | 17,131 | appends/s | 7,772 | 2.2 | >= 20,000 **not met** | 1.3/2.0 |',
    );
    expect(table).to.contain('| event-store | p99 | 12.6 | ms |  |  | <= 25 met |');
  });
});
