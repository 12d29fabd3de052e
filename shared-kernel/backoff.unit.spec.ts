import { expect } from 'chai';
import fc from 'fast-check';
import { backoffDelayMs, type Backoff } from './backoff';

describe('backoff', () => {
  const base = { initialMs: 2, maxMs: 50 };

  it('doubles the window per retry and caps it at maxMs', () => {
    const none: Backoff = { ...base, jitter: 'none' };
    expect([1, 2, 3, 4, 5, 6, 10, 100].map((n) => backoffDelayMs(none, n))).to.deep.equal([
      2, 4, 8, 16, 32, 50, 50, 50,
    ]);
  });

  it('full jitter stays in [0, window), equal jitter in [window/2, window)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.double({ min: 0, max: 0.9999, noNaN: true }),
        (n, r) => {
          const window = backoffDelayMs({ ...base, jitter: 'none' }, n);
          const full = backoffDelayMs({ ...base, jitter: 'full', random: () => r }, n);
          const equal = backoffDelayMs({ ...base, jitter: 'equal', random: () => r }, n);
          expect(full).to.be.at.least(0).and.below(window);
          expect(equal)
            .to.be.at.least(Math.floor(window / 2))
            .and.below(window);
        },
      ),
    );
    expect(backoffDelayMs({ ...base, jitter: 'full', random: () => 0.999 }, 3)).to.equal(7);
    expect(backoffDelayMs({ ...base, jitter: 'full', random: () => 0 }, 4)).to.equal(0);
  });
});
