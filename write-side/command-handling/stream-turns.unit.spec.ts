import { expect } from 'chai';
import { streamTurns } from './stream-turns';

describe('stream turns', () => {
  const tick = () => new Promise((resolve) => setImmediate(resolve));

  it('runs work on one stream one at a time, in arrival order, even when a turn fails', async () => {
    const inTurn = streamTurns();
    const log: string[] = [];
    let running = 0;
    const work = (name: string, fail = false) =>
      inTurn('s-1', async () => {
        running += 1;
        expect(running).to.equal(1);
        log.push(`start ${name}`);
        await tick();
        log.push(`end ${name}`);
        running -= 1;
        if (fail) throw new Error(name);
        return name;
      });
    const outcomes = await Promise.allSettled([work('a'), work('b', true), work('c')]);
    expect(outcomes.map((o) => o.status)).to.deep.equal(['fulfilled', 'rejected', 'fulfilled']);
    expect(log).to.deep.equal(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('lets different streams run at the same time', async () => {
    const inTurn = streamTurns();
    let running = 0;
    let most = 0;
    const work = (streamId: string) =>
      inTurn(streamId, async () => {
        most = Math.max(most, ++running);
        await tick();
        running -= 1;
      });
    await Promise.all([work('s-1'), work('s-2'), work('s-3')]);
    expect(most).to.equal(3);
  });
});
