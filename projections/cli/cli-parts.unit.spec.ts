import { expect } from 'chai';
import type { DeadLetter } from '../engine/dead-letters';
import { outcomeOf, reportOf } from './dead-letter-outcomes';
import { formatDuration, formatTable } from './output';
import { progressFigures } from './progress-view';

const letter: DeadLetter = {
  processor: 'inventory',
  streamId: 'stock-A',
  revision: 3,
  position: '0000000000000009',
  eventId: 'e',
  eventType: 'StockReceived',
  error: 'Error: first',
  attempts: 5,
  parkedAt: '2026-01-01T00:00:00.000Z',
  request: 'retry',
  requestedAt: '2026-01-01T00:01:00.000Z',
};

describe('CLI parts', () => {
  it('reads what the worker did with a marked letter', () => {
    expect(outcomeOf(undefined)).to.deep.equal({ kind: 'released' });
    expect(outcomeOf(letter)).to.deep.equal({ kind: 'pending' });
    const failed = { ...letter, request: null, error: 'Error: second' };
    expect(outcomeOf(failed)).to.deep.equal({ kind: 'failed-again', error: 'Error: second' });
    expect(reportOf(letter, outcomeOf(failed))).to.deep.equal({
      processor: 'inventory',
      streamId: 'stock-A',
      revision: 3,
      eventType: 'StockReceived',
      outcome: 'failed-again',
      error: 'Error: second',
    });
  });

  it('rates a rebuild on this run only and has no ETA without a total', () => {
    expect(progressFigures(3000, 10_000, 1000, 2000)).to.deep.equal({
      done: 3000,
      total: 10_000,
      eventsPerSecond: 1000,
      etaSeconds: 7,
    });
    expect(progressFigures(500, null, 0, 1000).etaSeconds).to.equal(null);
    expect(progressFigures(0, 100, 0, 0)).to.include({ eventsPerSecond: 0, etaSeconds: null });
  });

  it('formats tables and durations for people', () => {
    expect(formatTable(['A', 'LONG'], [['wide cell', 'x']])).to.equal(
      'A          LONG\nwide cell  x\n',
    );
    expect([5, 200, 7500].map(formatDuration)).to.deep.equal(['5s', '3m 20s', '2h 5m']);
  });
});
