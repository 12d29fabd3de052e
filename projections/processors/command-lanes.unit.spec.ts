import { expect } from 'chai';
import fc from 'fast-check';
import { setTimeout as sleep } from 'node:timers/promises';
import { runInLanes } from './command-lanes';

interface Item {
  lane: string;
  n: number;
}

describe('runInLanes (the saga runs its commands per target stream)', () => {
  it('keeps each lane in the given order whatever the timing, and runs every item once', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ lane: fc.constantFrom('a', 'b', 'c', 'd'), delay: fc.nat(3) }), {
          maxLength: 40,
        }),
        fc.integer({ min: 1, max: 5 }),
        async (plan, concurrency) => {
          const items = plan.map((p, n) => ({ ...p, n }));
          const done: Item[] = [];
          await runInLanes(
            items,
            (item) => item.lane,
            async (item) => {
              await sleep(item.delay);
              done.push(item);
            },
            concurrency,
          );
          expect(done.map((i) => i.n).sort((a, b) => a - b)).to.deep.equal(items.map((i) => i.n));
          for (const lane of ['a', 'b', 'c', 'd']) {
            const order = done.filter((i) => i.lane === lane).map((i) => i.n);
            expect(order, `lane ${lane}`).to.deep.equal([...order].sort((a, b) => a - b));
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('runs different lanes side by side, at most `concurrency` at once, one item per lane at a time', async () => {
    const running = new Map<string, number>();
    let most = 0;
    const items = Array.from({ length: 60 }, (_, n) => ({ lane: `s${n % 12}`, n }));
    await runInLanes(
      items,
      (item) => item.lane,
      async (item) => {
        running.set(item.lane, (running.get(item.lane) ?? 0) + 1);
        expect(running.get(item.lane), `two items of ${item.lane} at once`).to.equal(1);
        most = Math.max(
          most,
          [...running.values()].reduce((a, b) => a + b, 0),
        );
        await sleep(2);
        running.set(item.lane, (running.get(item.lane) ?? 1) - 1);
      },
      4,
    );
    expect(most).to.equal(4);
  });

  it('after a failure starts nothing new, lets the running items finish, then throws it', async () => {
    const started: number[] = [];
    const finished: number[] = [];
    const items = Array.from({ length: 30 }, (_, n) => ({ lane: `s${n % 3}`, n }));
    let caught: unknown = null;
    await runInLanes(
      items,
      (item) => item.lane,
      async (item) => {
        started.push(item.n);
        await sleep(item.n === 4 ? 1 : 5);
        if (item.n === 4) throw new Error('store down');
        finished.push(item.n);
      },
      3,
    ).catch((error: unknown) => (caught = error));
    expect(String(caught)).to.contain('store down');
    // Lanes s0, s1, s2 run 0, 1, 2 then 3, 4, 5: item 4 fails while 3 and 5 are running.
    expect(started.sort((a, b) => a - b)).to.deep.equal([0, 1, 2, 3, 4, 5]);
    expect(finished.sort((a, b) => a - b)).to.deep.equal([0, 1, 2, 3, 5]);
  });
});
