import { expect } from 'chai';
import fc from 'fast-check';
import { foldEvents } from '../../../shared-kernel/decider';
import { StrataError } from '../../../shared-kernel/errors';
import type { OrderCommand } from './commands';
import { ORDER_TRANSITIONS, orderDecider, type OrderState } from './decider';
import type { OrderEvent } from './events';
import { cancel, confirm, eur, pay, place, reject, ship } from './decider.fixtures';

// Right and wrong variants of every command, so refusals are exercised as much as successes.
const command: fc.Arbitrary<OrderCommand> = fc.constantFrom(
  place,
  confirm,
  reject,
  pay(eur(4500)),
  pay(eur(4500), 'pay-2'),
  pay(eur(100)),
  ship('T1'),
  ship('T2'),
  cancel,
);

interface Step {
  before: OrderState;
  after: OrderState;
  command: OrderCommand;
  events: OrderEvent[];
}

function run(commands: OrderCommand[]): { steps: Step[]; log: OrderEvent[]; state: OrderState } {
  let state = orderDecider.initialState;
  const steps: Step[] = [];
  const log: OrderEvent[] = [];
  for (const cmd of commands) {
    let events: OrderEvent[] = [];
    try {
      events = orderDecider.decide(cmd, state);
    } catch (error) {
      if (!(error instanceof StrataError)) throw error;
    }
    const after = foldEvents(orderDecider, events, state);
    steps.push({ before: state, after, command: cmd, events });
    log.push(...events);
    state = after;
  }
  return { steps, log, state };
}

const sequences = fc.array(command, { maxLength: 30 });

describe('Order decider: properties over random command sequences', () => {
  it('only ever makes the allowed status transitions, one event at a time', () => {
    fc.assert(
      fc.property(sequences, (commands) => {
        for (const { before, after, events } of run(commands).steps) {
          expect(events.length).to.be.at.most(1);
          if (before.status === after.status) {
            expect(events).to.deep.equal([]);
          } else if (before.status === 'absent') {
            expect(after.status).to.equal('placed');
          } else {
            expect(ORDER_TRANSITIONS[before.status]).to.include(after.status);
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('records payment only of the exact total on a confirmed order, shipment only when paid', () => {
    fc.assert(
      fc.property(sequences, (commands) => {
        for (const { before, events } of run(commands).steps) {
          for (const event of events) {
            if (event.type === 'PaymentRecorded') {
              expect(before.status).to.equal('confirmed');
              expect(event.data.amount).to.deep.equal(before.status !== 'absent' && before.total);
            }
            if (event.type === 'OrderShipped') expect(before.status).to.equal('paid');
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('folding the recorded events from scratch gives the running state', () => {
    fc.assert(
      fc.property(sequences, (commands) => {
        const { log, state } = run(commands);
        expect(foldEvents(orderDecider, log)).to.deep.equal(state);
      }),
      { numRuns: 300 },
    );
  });

  it('repeating an accepted command right away records nothing', () => {
    fc.assert(
      fc.property(sequences, command, (history, last) => {
        const { steps, state } = run([...history, last]);
        const lastStep = steps[steps.length - 1];
        if (lastStep?.events.length === 0 || last.type === 'PlaceOrder') return;
        expect(orderDecider.decide(last, state)).to.deep.equal([]);
      }),
      { numRuns: 300 },
    );
  });
});
