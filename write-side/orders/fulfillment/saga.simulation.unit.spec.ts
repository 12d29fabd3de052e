import { expect } from 'chai';
import fc from 'fast-check';
import type { Decider } from '../../../shared-kernel/decider';
import type { DomainEvent } from '../../../shared-kernel/events/envelope';
import { StrataError } from '../../../shared-kernel/errors';
import { reserveStockInContext } from '../../command-handling/reserve-stock';
import type { StockItemCommand } from '../../inventory/stock-item/commands';
import {
  orderClaims,
  stockItemDecider,
  type StockItemState,
} from '../../inventory/stock-item/decider';
import type { OrderCommand } from '../order/commands';
import { orderDecider, type OrderState } from '../order/decider';
import { react } from './saga';
import type { SagaCommand } from './saga-command';
import { fulfillmentKey, type FulfillmentState, type SagaEvent } from './state';

/*
 * The saga's decisions driven against the real stock and order deciders, with what a real
 * deployment does to them: several orders competing for the same SKUs, commands run in any
 * order and some twice, events redelivered after a crash, the saga reset to the start of the
 * log (every command issued again), and customers cancelling, paying or shipping at any time.
 * ReserveStock goes through the handler's own context step (the order's status read after the
 * stock item), so this checks the rule the README states: no repeat ever answers twice.
 */
const SKUS = ['A', 'B', 'C'] as const;
const at = '2024-03-01T10:00:00.000Z';
const price = { amount: 100, currency: 'EUR' };
const address = { name: 'n', line1: 'l', city: 'c', postalCode: 'p', country: 'GB' };

type Step =
  | { kind: 'deliver' }
  | { kind: 'run'; pick: number; twice: boolean }
  | { kind: 'crash'; back: number }
  | { kind: 'reset' }
  | { kind: 'customer'; order: number; action: 'cancel' | 'pay' | 'ship' };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 5, arbitrary: fc.constant({ kind: 'deliver' as const }) },
  {
    weight: 5,
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
      back: fc.integer({ min: 1, max: 6 }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'reset' as const }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('customer' as const),
      order: fc.nat({ max: 2 }),
      action: fc.constantFrom('cancel' as const, 'pay' as const, 'ship' as const),
    }),
  },
);

/** Each order: a quantity (0 = no line) per SKU, at least one line. */
const orderLines = fc
  .array(fc.integer({ min: 0, max: 3 }), { minLength: 3, maxLength: 3 })
  .filter((quantities) => quantities.some((q) => q > 0));

interface Logged extends SagaEvent {
  streamId: string;
}

async function simulate(onHand: number[], orders: number[][], schedule: Step[]) {
  const stock = new Map<string, StockItemState>();
  const orderStates = new Map<string, OrderState>();
  const log: Logged[] = [];
  // Saga state per order as committed after each delivered event (a crash goes back to one).
  const committed: Map<string, FulfillmentState | null>[] = [new Map()];
  let delivered = 0;
  const pending: SagaCommand[] = [];

  function apply<C, S, E extends DomainEvent>(
    decider: Decider<C, S, E>,
    streamId: string,
    command: C,
    state: S,
  ): S {
    let events: E[] = [];
    try {
      events = decider.decide(command, state);
    } catch (error) {
      if (!(error instanceof StrataError)) throw error; // a refusal: the handler reports it
    }
    for (const e of events) {
      state = decider.evolve(state, e);
      const eventId = `e${log.length}`;
      log.push({ eventId, streamId, type: e.type, data: e.data, metadata: { occurredAt: at } });
    }
    return state;
  }
  const orderOf = (orderId: string) => orderStates.get(orderId) ?? orderDecider.initialState;
  const runStock = async (command: StockItemCommand) => {
    const sku = command.data.sku;
    const item = stock.get(sku) ?? stockItemDecider.initialState;
    const completed =
      command.type === 'ReserveStock'
        ? await reserveStockInContext(command, item, async (id) => orderOf(id))
        : command;
    stock.set(sku, apply(stockItemDecider, `stock-${sku}`, completed, item));
  };
  const runOrder = (command: OrderCommand) => {
    const { orderId } = command.data;
    orderStates.set(orderId, apply(orderDecider, `order-${orderId}`, command, orderOf(orderId)));
  };
  const run = (c: SagaCommand) =>
    c.aggregate === 'stock' ? runStock(c.command) : Promise.resolve(runOrder(c.command));
  const deliver = () => {
    const states = new Map(committed[delivered]);
    const event = log[delivered] as Logged;
    const key = fulfillmentKey(event);
    if (key !== null) {
      const reaction = react(states.get(key) ?? null, event);
      states.set(key, reaction.state);
      pending.push(...reaction.commands);
    }
    delivered += 1;
    committed[delivered] = states;
  };

  for (const [i, sku] of SKUS.entries()) {
    if ((onHand[i] ?? 0) > 0)
      await runStock({ type: 'ReceiveStock', data: { sku, quantity: onHand[i]! } });
  }
  const orderIds = orders.map((_, n) => `o-${n}`);
  orders.forEach((quantities, n) => {
    const lines = SKUS.flatMap((sku, i) =>
      (quantities[i] ?? 0) > 0
        ? [
            {
              productId: `p-${sku}`,
              quantity: quantities[i]!,
              product: { sku, price, status: 'active' as const },
            },
          ]
        : [],
    );
    const data = { orderId: orderIds[n]!, customerId: 'c', lines, at, shippingAddress: address };
    runOrder({ type: 'PlaceOrder', data });
  });

  for (const s of schedule) {
    if (s.kind === 'deliver' && delivered < log.length) deliver();
    if (s.kind === 'run' && pending.length > 0) {
      const [command] = pending.splice(s.pick % pending.length, 1);
      await run(command!);
      if (s.twice) await run(command!);
    }
    // Commands already issued may still run; the redelivered events issue them again.
    if (s.kind === 'crash') delivered = Math.max(0, delivered - s.back);
    if (s.kind === 'reset') delivered = 0;
    if (s.kind === 'customer') {
      const orderId = orderIds[s.order % orderIds.length]!;
      const order = orderOf(orderId);
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
  // Quiescence: everything delivered and every command run, as the system would eventually;
  // then `strata projections reset fulfillment-saga` on the settled log, and quiescence again.
  const settle = async () => {
    while (delivered < log.length || pending.length > 0) {
      if (delivered < log.length) deliver();
      else await run(pending.shift()!);
    }
  };
  await settle();
  delivered = 0;
  await settle();
  return { stock, orderOf, orderIds, log };
}

describe('Fulfillment saga against the real deciders: redelivery, reordering, resets', () => {
  it('answers each order line once, settles every order, and stock matches the outcomes', async () => {
    const level = fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 3, maxLength: 3 });
    const orders = fc.array(orderLines, { minLength: 1, maxLength: 3 });
    await fc.assert(
      fc.asyncProperty(
        level,
        orders,
        fc.array(step, { maxLength: 80 }),
        async (onHand, lines, schedule) => {
          const { stock, orderOf, orderIds, log } = await simulate(onHand, lines, schedule);
          const answers = (orderId: string, sku: string) =>
            log.filter(
              (e) =>
                e.streamId === `stock-${sku}` &&
                (e.type === 'StockReserved' || e.type === 'StockReservationRejected') &&
                (e.data as { orderId: string }).orderId === orderId,
            );
          const held = new Map<string, Record<string, number>>(SKUS.map((sku) => [sku, {}]));
          const shipped = new Map<string, number>(SKUS.map((sku) => [sku, 0]));
          orderIds.forEach((orderId, n) => {
            const order = orderOf(orderId);
            expect(order.status, orderId).to.be.oneOf([
              'confirmed',
              'paid',
              'shipped',
              'rejected',
              'cancelled',
            ]);
            SKUS.forEach((sku, i) => {
              const quantity = lines[n]![i] ?? 0;
              const found = answers(orderId, sku);
              expect(found.length, `${orderId}@${sku} answers`).to.be.at.most(quantity > 0 ? 1 : 0);
              if (quantity === 0) return;
              if (order.status !== 'rejected' && order.status !== 'cancelled') {
                expect(found.map((e) => e.type)).to.deep.equal(['StockReserved']);
              }
              if (order.status === 'confirmed' || order.status === 'paid') {
                held.get(sku)![orderId] = quantity;
              }
              if (order.status === 'shipped') shipped.set(sku, shipped.get(sku)! + quantity);
            });
            if (order.status === 'rejected') {
              const refused = SKUS.some(
                (sku) => answers(orderId, sku)[0]?.type === 'StockReservationRejected',
              );
              expect(refused, `${orderId} rejected without a refusal`).to.equal(true);
            }
          });
          SKUS.forEach((sku, i) => {
            const item = stock.get(sku) ?? stockItemDecider.initialState;
            const expected = held.get(sku)!;
            const claims = orderClaims(item);
            // Settled orders are forgotten: only confirmed, unshipped orders are still held.
            expect(claims, sku).to.deep.equal(
              Object.fromEntries(
                Object.entries(expected).map(([id, q]) => [
                  id,
                  { outcome: 'reserved', quantity: q },
                ]),
              ),
            );
            expect(item.reserved).to.equal(Object.values(expected).reduce((a, b) => a + b, 0));
            expect(item.onHand).to.equal((onHand[i] ?? 0) - shipped.get(sku)!);
          });
        },
      ),
      { numRuns: 400 },
    );
  });
});
