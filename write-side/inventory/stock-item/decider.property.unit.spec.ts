import { expect } from 'chai';
import fc from 'fast-check';
import { foldEvents } from '../../../shared-kernel/decider';
import { StrataError } from '../../../shared-kernel/errors';
import type { StockItemCommand } from './commands';
import { stockItemCommand } from './commands.fixtures';
import { availableOf, orderClaims, stockItemDecider, type StockItemState } from './decider';
import type { StockItemEvent } from './events';

const sku = 'SKU-1';
const command = stockItemCommand(sku);

/** Runs commands like the command handler would: refused ones append nothing. */
function run(commands: StockItemCommand[]) {
  let state = stockItemDecider.initialState;
  const log: StockItemEvent[] = [];
  const steps: { command: StockItemCommand; before: StockItemState; events: StockItemEvent[] }[] =
    [];
  for (const cmd of commands) {
    let events: StockItemEvent[] = [];
    try {
      events = stockItemDecider.decide(cmd, state);
    } catch (error) {
      if (!(error instanceof StrataError)) throw error;
    }
    steps.push({ command: cmd, before: state, events });
    state = foldEvents(stockItemDecider, events, state);
    log.push(...events);
    checkInvariants(state);
  }
  return { state, log, steps };
}

function checkInvariants(state: StockItemState): void {
  expect(availableOf(state)).to.be.at.least(0);
  expect(state.reserved).to.be.at.least(0);
  const claims = Object.values(orderClaims(state));
  const held = claims.reduce((sum, c) => sum + (c.outcome === 'reserved' ? c.quantity : 0), 0);
  expect(state.reserved).to.equal(held);
  expect(state.orders.size).to.equal(claims.length);
}

describe('Stock item decider: properties over random command sequences', () => {
  it('keeps available >= 0 and reserved = the units of the open reservations', () => {
    fc.assert(
      fc.property(fc.array(command, { maxLength: 60 }), (commands) => void run(commands)),
      { numRuns: 300 },
    );
  });

  it('folding the recorded events from scratch gives the running state', () => {
    fc.assert(
      fc.property(fc.array(command, { maxLength: 60 }), (commands) => {
        const { state, log } = run(commands);
        expect(foldEvents(stockItemDecider, log)).to.deep.equal(state);
      }),
      { numRuns: 300 },
    );
  });

  it('repeating any reservation command right after it changes nothing', () => {
    const reservationCommand = command.filter(
      (c) => c.type !== 'ReceiveStock' && c.type !== 'AdjustStock',
    );
    fc.assert(
      fc.property(fc.array(command, { maxLength: 40 }), reservationCommand, (history, repeated) => {
        const { state } = run([...history, repeated]);
        expect(stockItemDecider.decide(repeated, state)).to.deep.equal([]);
      }),
      { numRuns: 300 },
    );
  });

  it('only receipts, adjustments and commits move on hand, and only by their quantity', () => {
    fc.assert(
      fc.property(fc.array(command, { maxLength: 60 }), (commands) => {
        for (const { before, events } of run(commands).steps) {
          const after = foldEvents(stockItemDecider, events, before);
          const moved = events.reduce(
            (sum, e) =>
              sum +
              (e.type === 'StockReceived' || e.type === 'StockAdjusted'
                ? e.data.quantity
                : e.type === 'StockReservationCommitted'
                  ? -e.data.quantity
                  : 0),
            0,
          );
          expect(after.onHand - before.onHand).to.equal(moved);
        }
      }),
      { numRuns: 200 },
    );
  });
});
