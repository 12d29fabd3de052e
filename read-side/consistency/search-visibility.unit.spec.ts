import { expect } from 'chai';
import type { SearchIndex } from '../../shared-kernel/search-index/port';
import { searchVisibility } from './search-visibility';

/** An index whose refreshes are counted and finish when the spec says. */
function refreshes() {
  const started: Array<() => void> = [];
  const index = {
    refresh: () => new Promise<void>((resolve) => started.push(resolve)),
  } as unknown as SearchIndex;
  return { index, started, finishNext: () => started.shift()?.() };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('search visibility (a search labelled with a checkpoint shows what was indexed up to it)', () => {
  it('refreshes once for a position, and not again for one already visible', async () => {
    const { index, started, finishNext } = refreshes();
    const visibility = searchVisibility(index, 'products');
    const first = visibility.through('0a');
    expect(started).to.have.length(1);
    finishNext();
    await first;
    await visibility.through('0a');
    await visibility.through('05');
    await visibility.through(null);
    expect(started).to.have.length(0);
  });

  it('readers arriving during a refresh share one next refresh, which covers the newest of them', async () => {
    const { index, started, finishNext } = refreshes();
    const visibility = searchVisibility(index, 'products');
    const first = visibility.through('10');
    const waiting = [visibility.through('11'), visibility.through('14'), visibility.through('12')];
    expect(started, 'one refresh at a time').to.have.length(1);
    finishNext();
    await first;
    await tick();
    expect(started, 'one more for all three').to.have.length(1);
    finishNext();
    await Promise.all(waiting);
    await visibility.through('14');
    expect(started).to.have.length(0);
  });
});
