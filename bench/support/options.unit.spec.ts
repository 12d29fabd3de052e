import { expect } from 'chai';
import { benchOptions } from './options';

describe('benchmark options', () => {
  it('reads integer lists from arguments, then BENCH_ variables, then the fallback', () => {
    const fromArgs = benchOptions(['--sizes=10,1_000,1e6'], { BENCH_SIZES: '7' });
    expect(fromArgs.integers('sizes', [1])).to.deep.equal([10, 1_000, 1_000_000]);
    expect(
      benchOptions([], { BENCH_LATENCY_SECONDS: '20,180' }).integers('latency-seconds', [1]),
    ).to.deep.equal([20, 180]);
    expect(benchOptions([], {}).integers('sizes', [3, 4])).to.deep.equal([3, 4]);
  });

  it('names the option and the bad item of a list', () => {
    for (const bad of ['10,,20', '10,x', '0', '2.5']) {
      expect(() => benchOptions([`--sizes=${bad}`], {}).integers('sizes', [1]), bad).to.throw(
        /--sizes: expected a positive integer/,
      );
    }
    expect(() => benchOptions(['--requests=-3'], {}).integer('requests', 1)).to.throw(/--requests/);
  });
});
