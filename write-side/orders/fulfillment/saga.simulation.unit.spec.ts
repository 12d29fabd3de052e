import { expect } from 'chai';
import fc from 'fast-check';
import type { Decider } from '../../../shared-kernel/decider';
import type { DomainEvent } from '../../../shared-kernel/events/envelope';
import { StrataError } from '../../../shared-kernel/errors';
import type { StockItemCommand } from '../../inventory/stock-item/commands';
import { stockItemDecider, type StockItemState } from '../../inventory/stock-item/decider';
import type { OrderCommand } from '../order/commands';
import { orderDecider, type OrderState } from '../order/decider';
import { react } from './saga';
import type { SagaCommand } from './saga-command';
import type { FulfillmentState, SagaEvent } from './state';

/*
 * The saga's decisions driven against the real stock and order deciders, with what a real
 * deployment does to it: commands run in any order, some twice (retries), events redelivered
 * after a simulated crash, and a customer cancelling, paying or shipping at any moment.
 */
const SKUS = ['A', 'B', 'C'] as const;
const orderId = 'o-1';
const at = '2024-03-01T10:00:00.000Z';
const price = { amount: 100, currency: 'EUR' };

type Step =
  | { kind: 'deliver' }
  | { kind: 'run'; pick: number; twice: boolean }
  | { kind: 'crash'; back: number }
  | { kind: 'customer'; action: 'cancel' | 'pay' | 'ship' };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ kind: 'deliver' as const }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('run' as const),
      pick: fc.nat(),
      twice: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('crash' as const),
      back: fc.integer({ min: 1, max: 4 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('customer' as const),
      action: fc.constantFrom('cancel' as const, 'pay' as const, 'ship' as const),
    }),
  },
);

function simulate(onHand: number[], quantities: number[], schedule: Step[]) {
  const stock = new Map<string, StockItemState>();
  let order: OrderState = orderDecider.initialState;
  const log: SagaEvent[] = [];
  let delivered = 0;
  let saga: FulfillmentState | null = null;
  const pending: SagaCommand[] = [];

  function apply<C, S, E extends DomainEvent>(decider: Decider<C, S, E>, command: C, state: S): S {
    let events: E[] = [];
    try {
      events = decider.decide(command, state);
    } catch (error) {
      if (!(error instanceof StrataError)) throw error; // a refusal: the handler reports it
    }
    for (const e of events) {
      state = decider.evolve(state, e);
      log.push({
        eventId: `e${log.length}`,
        type: e.type,
        data: e.data,
        metadata: { occurredAt: at },
      });
    }
    return state;
  }
  const runStock = (command: StockItemCommand) => {
    const sku = command.data.sku;
    stock.set(
      sku,
      apply(stockItemDecider, command, stock.get(sku) ?? stockItemDecider.initialState),
    );
  };
  const runOrder = (command: OrderCommand) => (order = apply(orderDecider, command, order));
  const run = (c: SagaCommand) =>
    c.aggregate === 'stock' ? runStock(c.command) : runOrder(c.command);
  const deliver = () => {
    const reaction = react(saga, log[delivered] as SagaEvent);
    delivered += 1;
    saga = reaction.state;
    pending.push(...reaction.commands);
  };

  SKUS.forEach((sku, i) => {
    if ((onHand[i] ?? 0) > 0)
      runStock({ type: 'ReceiveStock', data: { sku, quantity: onHand[i] ?? 0 } });
  });
  const lines = SKUS.map((sku, i) => ({
    productId: `p-${sku}`,
    quantity: quantities[i] ?? 1,
    product: { sku, price, status: 'active' as const },
  }));
  runOrder({
    type: 'PlaceOrder',
    data: {
      orderId,
      customerId: 'c',
      lines,
      at,
      shippingAddress: { name: 'n', line1: 'l', city: 'c', postalCode: 'p', country: 'GB' },
    },
  });
  let cancelled = false;

  for (const s of schedule) {
    if (s.kind === 'deliver' && delivered < log.length) deliver();
    if (s.kind === 'run' && pending.length > 0) {
      const [command] = pending.splice(s.pick % pending.length, 1);
      run(command as SagaCommand);
      if (s.twice) run(command as SagaCommand);
    }
    if (s.kind === 'crash') delivered = Math.max(0, delivered - s.back);
    if (s.kind === 'customer') {
      if (s.action === 'cancel') cancelled = true;
      const total = order.status === 'absent' ? price : order.total;
      runOrder(
        s.action === 'cancel'
          ? { type: 'CancelOrder', data: { orderId, reason: 'r', at } }
          : s.action === 'pay'
            ? { type: 'RecordPayment', data: { orderId, amount: total, paymentReference: 'p', at } }
            : { type: 'ShipOrder', data: { orderId, carrier: 'c', trackingNumber: 't', at } },
      );
    }
  }
  // Quiescence: everything delivered and every command run, as the system would eventually.
  while (delivered < log.length || pending.length > 0) {
    if (delivered < log.length) deliver();
    else run(pending.shift() as SagaCommand);
  }
  return { stock, order, cancelled };
}

describe('Fulfillment saga against the real deciders, under reordering and redelivery', () => {
  it('always settles the order, and stock is held exactly while the order may still ship', () => {
    const level = fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 3, maxLength: 3 });
    const qty = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 3, maxLength: 3 });
    fc.assert(
      fc.property(level, qty, fc.array(step, { maxLength: 60 }), (onHand, quantities, schedule) => {
        const { stock, order, cancelled } = simulate(onHand, quantities, schedule);
        expect(order.status).to.be.oneOf(['confirmed', 'paid', 'shipped', 'rejected', 'cancelled']);
        const short = SKUS.some((_, i) => (quantities[i] ?? 0) > (onHand[i] ?? 0));
        if (order.status === 'rejected') expect(short).to.equal(true);
        if (!short && !cancelled)
          expect(order.status).to.be.oneOf(['confirmed', 'paid', 'shipped']);
        SKUS.forEach((sku, i) => {
          const item = stock.get(sku) as StockItemState;
          expect(item.onHand - item.reserved).to.be.at.least(0);
          const held = item.reservations[orderId];
          if (order.status === 'rejected' || order.status === 'cancelled')
            expect(held).to.equal(undefined);
          if (order.status === 'confirmed' || order.status === 'paid')
            expect(held).to.equal(quantities[i]);
          if (order.status === 'shipped') {
            expect(item.handledOrders[orderId]).to.equal('committed');
            expect(item.onHand).to.equal((onHand[i] ?? 0) - (quantities[i] ?? 0));
          }
        });
      }),
      { numRuns: 400 },
    );
  });
});
