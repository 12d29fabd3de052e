import { expect } from 'chai';
import fc from 'fast-check';
import type { Position } from '../../events/envelope';
import { startCatchUp, stepCatchUp, withTarget } from './catch-up-progress';
import type { CatchUpProgress } from './catch-up-progress';

const at = (n: number): Position => n.toString(16).padStart(32, '0');

type Delivered = Position | 'caught-up';

/** Feeds the positions the server sends (replays included) and records what a consumer sees. */
function feed(
  progress: CatchUpProgress,
  sent: Position[],
): { seen: Delivered[]; progress: CatchUpProgress } {
  const seen: Delivered[] = [];
  for (const position of sent) {
    const step = stepCatchUp(progress, position);
    progress = step.progress;
    if (step.deliver) seen.push(position);
    if (step.deliver && step.caughtUpAfter) seen.push('caught-up');
  }
  return { seen, progress };
}

describe('catch-up subscription progress', () => {
  it('given stored events up to the head, when they arrive, then caught-up follows the head event', () => {
    const { progress } = withTarget(startCatchUp(null), at(3));
    const { seen } = feed(progress, [at(1), at(2), at(3), at(4)]);
    expect(seen).to.deep.equal([at(1), at(2), at(3), 'caught-up', at(4)]);
  });

  it('given a start at or past the head (or an empty log), then it is caught up before any event', () => {
    expect(withTarget(startCatchUp(at(5)), at(5)).caughtUpNow).to.equal(true);
    expect(withTarget(startCatchUp(at(9)), at(5)).caughtUpNow).to.equal(true);
    expect(withTarget(startCatchUp(null), null).caughtUpNow).to.equal(true);
    expect(withTarget(startCatchUp(null), at(1)).caughtUpNow).to.equal(false);
  });

  it('given a caught-up subscription that resubscribes, then the head is not re-read or re-reported', () => {
    const first = withTarget(startCatchUp(null), null);
    const again = withTarget(first.progress, at(7));
    expect(again.caughtUpNow).to.equal(false);
    expect(again.progress.target).to.equal(null);
    expect(feed(again.progress, [at(1), at(7), at(8)]).seen).to.deep.equal([at(1), at(7), at(8)]);
  });

  it('delivers every event after the start once, in order, and caught-up once, whatever the server replays', () => {
    const scenario = fc.record({
      logLength: fc.integer({ min: 0, max: 40 }),
      startIndex: fc.integer({ min: -1, max: 40 }),
      headIndex: fc.integer({ min: -1, max: 40 }),
      // Each drop: how many events the connection delivered, and how far back the next replays.
      drops: fc.array(fc.record({ run: fc.nat(10), replay: fc.nat(5) }), { maxLength: 8 }),
    });
    fc.assert(
      fc.property(scenario, ({ logLength, startIndex, headIndex, drops }) => {
        const log = Array.from({ length: logLength }, (_, i) => at(10 * (i + 1)));
        const after = startIndex < 0 || startIndex >= logLength ? null : log[startIndex]!;
        const head = headIndex < 0 || headIndex >= logLength ? null : log[headIndex]!;
        const target = withTarget(startCatchUp(after), head);
        const sent: Position[] = [];
        let next = after === null ? 0 : log.indexOf(after) + 1;
        for (const { run, replay } of drops) {
          const from = Math.max(0, next - replay);
          sent.push(...log.slice(from, from + run + replay));
          next = Math.max(next, Math.min(log.length, from + run + replay));
        }
        sent.push(...log.slice(Math.max(0, next - 1)));
        const { seen } = feed(target.progress, sent);
        const all: Delivered[] = target.caughtUpNow ? ['caught-up', ...seen] : seen;
        const expectedEvents = after === null ? log : log.slice(log.indexOf(after) + 1);
        expect(all.filter((m) => m !== 'caught-up')).to.deep.equal(expectedEvents);
        expect(all.filter((m) => m === 'caught-up')).to.have.length(1);
        const marker = all.indexOf('caught-up');
        const before = all[marker - 1];
        if (marker > 0)
          expect(before! >= head!, 'caught-up comes right after the head').to.equal(true);
        if (marker > 0)
          expect(all[marker - 2] === undefined || all[marker - 2]! < head!).to.equal(true);
      }),
    );
  });
});
