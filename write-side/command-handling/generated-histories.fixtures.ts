/**
 * For specs: random command sequences per aggregate, turned into the event history the real
 * decider records for them (refused commands record nothing), as the store would hold it.
 */
import fc from 'fast-check';
import type { Decider } from '../../shared-kernel/decider';
import { StrataError } from '../../shared-kernel/errors';
import type { DomainEvent } from '../../shared-kernel/events/envelope';
import { aggregates, type AggregateType } from '../aggregates';
import { stockItemCommand } from '../inventory/stock-item/commands.fixtures';

const at = '2024-03-01T10:00:00.000Z';
const eur = (amount: number) => ({ amount, currency: 'EUR' });
const productId = '0190f5a2-0000-7000-8000-0000000000p1';
const orderId = '0190f5a2-0000-7000-8000-0000000000o1';
const sku = 'GEN-1';

const productCommand = fc.oneof(
  fc.record({
    type: fc.constant('UpdateProductDetails'),
    data: fc.record(
      {
        productId: fc.constant(productId),
        name: fc.constantFrom('Mug', 'Big mug', 'Cup'),
        description: fc.string({ maxLength: 8 }),
        category: fc.constantFrom('kitchen', 'garden'),
        attributes: fc.dictionary(fc.constantFrom('colour', 'size'), fc.constantFrom('a', 'b')),
      },
      { requiredKeys: ['productId'] },
    ),
  }),
  fc.record({
    type: fc.constant('ChangeProductPrice'),
    data: fc.record({ productId: fc.constant(productId), price: fc.nat(5000).map(eur) }),
  }),
  fc.record({
    type: fc.constant('DiscontinueProduct'),
    data: fc.record({ productId: fc.constant(productId), reason: fc.constant('old') }),
  }),
);
const create = {
  type: 'CreateProduct',
  data: {
    productId,
    sku,
    name: 'Mug',
    description: '',
    category: 'kitchen',
    price: eur(100),
    attributes: {},
  },
};

const stockCommand = stockItemCommand(sku, ['o1', 'o2', 'o3', 'o4', 'o5', 'o6']);

const place = {
  type: 'PlaceOrder',
  data: {
    orderId,
    customerId: 'c1',
    lines: [
      { productId, quantity: 2, product: { sku, price: eur(250), status: 'active' } },
      {
        productId: 'p2',
        quantity: 1,
        product: { sku: 'GEN-2', price: eur(100), status: 'active' },
      },
    ],
    shippingAddress: { name: 'Ada', line1: '1 St', city: 'X', postalCode: '1', country: 'GB' },
    at,
  },
};
const orderCommand = fc.oneof(
  fc.constant({ type: 'ConfirmOrder', data: { orderId, at } }),
  fc.constant({ type: 'RejectOrder', data: { orderId, reason: 'short', failedSkus: [sku], at } }),
  fc.record({
    type: fc.constant('RecordPayment'),
    data: fc.record({
      orderId: fc.constant(orderId),
      amount: fc.constantFrom(eur(600), eur(1)),
      paymentReference: fc.constantFrom('p1', 'p2'),
      at: fc.constant(at),
    }),
  }),
  fc.constant({ type: 'ShipOrder', data: { orderId, carrier: 'c', trackingNumber: 't', at } }),
  fc.constant({ type: 'CancelOrder', data: { orderId, reason: 'changed mind', at } }),
);

const skuCommand = fc.record({
  type: fc.constant('ReserveSku'),
  data: fc.record({ sku: fc.constant(sku), productId: fc.constantFrom(productId, 'p2') }),
});

/** Commands for each aggregate type, the creating one first where there is one. */
export const commandsFor: Record<AggregateType, fc.Arbitrary<unknown[]>> = {
  product: fc.array(productCommand, { maxLength: 40 }).map((c) => [create, ...c]),
  stock: fc.array(stockCommand, { maxLength: 60 }),
  order: fc.array(orderCommand, { maxLength: 12 }).map((c) => [place, ...c]),
  sku: fc.array(skuCommand, { maxLength: 5 }),
};

/** The events the aggregate's decider records for `commands`, refusals skipped. */
export function historyOf(type: AggregateType, commands: unknown[]): DomainEvent[] {
  const decider = aggregates[type].decider as unknown as Decider<unknown, unknown, DomainEvent>;
  let state = decider.initialState;
  const events: DomainEvent[] = [];
  for (const command of commands) {
    let decided: DomainEvent[] = [];
    try {
      decided = decider.decide(command, state);
    } catch (error) {
      if (!(error instanceof StrataError)) throw error;
    }
    for (const event of decided) state = decider.evolve(state, event);
    events.push(...decided);
  }
  return events;
}

/** A next command to decide on both states, for each aggregate type. */
export const nextCommandFor: Record<AggregateType, fc.Arbitrary<unknown>> = {
  product: productCommand,
  stock: stockCommand,
  order: orderCommand,
  sku: skuCommand,
};
