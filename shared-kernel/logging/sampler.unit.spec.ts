import { expect } from 'chai';
import fc from 'fast-check';
import { createLogSampler } from './sampler';

describe('log sampler', () => {
  it('writes one line per kind and interval, and the next says how many were left out', () => {
    let now = 0;
    const sampler = createLogSampler({ intervalMs: 1000, now: () => now });
    expect(sampler.admit('503 /orders/:id')).to.equal(0);
    for (let i = 0; i < 99; i += 1) expect(sampler.admit('503 /orders/:id')).to.equal(null);
    expect(sampler.admit('400 /products')).to.equal(0);
    now = 1000;
    expect(sampler.admit('503 /orders/:id')).to.equal(99);
    expect(sampler.admit('503 /orders/:id')).to.equal(null);
  });

  it('writes at most one line per kind per interval however the calls fall, counting every other', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(50), fc.constantFrom('a', 'b', 'c')), { maxLength: 300 }),
        (steps) => {
          let now = 0;
          const sampler = createLogSampler({ intervalMs: 100, now: () => now });
          const written = new Map<string, number[]>();
          let reported = 0;
          for (const [advance, kind] of steps) {
            now += advance;
            const skipped = sampler.admit(kind);
            if (skipped === null) continue;
            reported += skipped + 1;
            written.set(kind, [...(written.get(kind) ?? []), now]);
          }
          for (const times of written.values()) {
            for (let i = 1; i < times.length; i += 1) {
              expect(times[i]! - times[i - 1]!).to.be.at.least(100);
            }
          }
          // Whatever was left out is owned up to by a later line, but for each kind's last window.
          expect(reported).to.be.at.most(steps.length);
        },
      ),
    );
  });

  it('forgets kinds beyond its bound rather than growing', () => {
    const sampler = createLogSampler({ maxKinds: 10, now: () => 0 });
    for (let i = 0; i < 1000; i += 1) expect(sampler.admit(`kind-${i}`)).to.equal(0);
  });
});
