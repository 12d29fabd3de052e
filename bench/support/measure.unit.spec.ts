import { expect } from 'chai';
import { createLatencyRecorder, drain, percentile, runInFlight } from './measure';
import { benchOptions } from './options';

describe('bench measurement helpers', () => {
  it('percentile is nearest-rank over an ascending array', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 50)).to.equal(50);
    expect(percentile(sorted, 99)).to.equal(99);
    expect(percentile(sorted, 100)).to.equal(100);
    expect(percentile([7], 1)).to.equal(7);
    expect(percentile([], 50)).to.equal(0);
  });

  it('the latency recorder grows past its first size and sorts numerically', () => {
    const recorder = createLatencyRecorder(16);
    for (let i = 1000; i >= 1; i -= 1) recorder.record(i / 10);
    expect(recorder.summary()).to.deep.equal({ count: 1000, p50: 50, p95: 95, p99: 99, max: 100 });
  });

  it('runInFlight keeps exactly N operations in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const result = await runInFlight(8, 5, async () => {
      most = Math.max(most, ++inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight -= 1;
    });
    expect(most).to.equal(8);
    expect(result.operations).to.equal(40);
    expect(result.latency.count).to.equal(40);
  });

  it('runInFlight starts no operation past its budget and counts only those that ran', async () => {
    let started = 0;
    const result = await runInFlight(
      4,
      1_000,
      async () => {
        started += 1;
        await new Promise((resolve) => setTimeout(resolve, 20));
      },
      0.1,
    );
    expect(result.operations).to.equal(started);
    expect(result.latency.count).to.equal(started);
    // 4 callers for 100 ms at >= 20 ms each: at most 4 * 6 started, far from 4,000.
    expect(started).to.be.within(4, 24);
  });

  it('drain counts items, calls back every 4,096 and stops when told', async () => {
    let calls = 0;
    const items = Array.from({ length: 10_000 }, (_, i) => i);
    expect((await drain(items, () => (calls += 1))).count).to.equal(10_000);
    expect(calls).to.equal(2);
    expect((await drain(items, undefined, (i) => i === 42)).count).to.equal(42);
  });

  it('options come from --name=value, then BENCH_NAME, then the default; bad ones are named', () => {
    const options = benchOptions(['--events=1_000'], { BENCH_EVENTS: '5', BENCH_BATCH_SIZE: '7' });
    expect(options.integer('events', 1)).to.equal(1000);
    expect(options.integer('batch-size', 1)).to.equal(7);
    expect(options.integer('missing', 3)).to.equal(3);
    expect(() => benchOptions(['--events=-2'], {}).integer('events', 1)).to.throw(/--events/);
    expect(() => benchOptions(['events=2'], {})).to.throw(/unrecognised argument events=2/);
  });
});
