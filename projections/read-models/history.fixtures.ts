/**
 * A shop's history made by the write side's own deciders, so the read-model specs fold exactly
 * the events production would record (shapes included), not hand-written look-alikes.
 */
import type { Decider } from '../../shared-kernel/decider';
import type { DomainEvent, RecordedEvent } from '../../shared-kernel/events/envelope';
import { aggregates, type AggregateType } from '../../write-side/aggregates';
import type { PlaceOrderLine } from '../../write-side/orders/order/commands';
import { eur, eventLog } from './read-model.fixtures';

export function shopHistory() {
  const record = eventLog();
  const states = new Map<string, unknown>();
  const events: RecordedEvent[] = [];
  const byStream = new Map<string, RecordedEvent[]>();

  function run(type: AggregateType, id: string, command: { type: string; data: unknown }) {
    const decider = aggregates[type].decider as unknown as Decider<unknown, unknown, DomainEvent>;
    const streamId = `${aggregates[type].streamPrefix}${id}`;
    let state = states.has(streamId) ? states.get(streamId) : decider.initialState;
    for (const event of decider.decide(command, state)) {
      state = decider.evolve(state, event);
      const recorded = record(streamId, event.type, event.data, { actor: `${type}-clerk` });
      events.push(recorded);
      byStream.set(streamId, [...(byStream.get(streamId) ?? []), recorded]);
    }
    states.set(streamId, state);
  }
  const at = (minute: number) => `2024-03-01T12:${String(minute).padStart(2, '0')}:00.000Z`;

  const products = [
    { productId: 'p-mug', sku: 'MUG-1', name: 'Mug', category: 'kitchen', price: eur(1200) },
    { productId: 'p-cup', sku: 'CUP-1', name: 'Cup', category: 'kitchen', price: eur(800) },
    { productId: 'p-pan', sku: 'PAN-1', name: 'Pan', category: 'kitchen', price: eur(3500) },
    { productId: 'p-lamp', sku: 'LAMP-1', name: 'Lamp', category: 'office', price: eur(3000) },
  ];
  for (const p of products) {
    run('sku', p.sku, { type: 'ReserveSku', data: { sku: p.sku, productId: p.productId } });
    run('product', p.productId, {
      type: 'CreateProduct',
      data: { ...p, description: `A ${p.name.toLowerCase()}`, attributes: {} },
    });
    run('stock', p.sku, { type: 'ReceiveStock', data: { sku: p.sku, quantity: 10 } });
  }

  const line = (i: number, quantity: number): PlaceOrderLine => {
    const p = products[i]!;
    return {
      productId: p.productId,
      quantity,
      product: { sku: p.sku, price: p.price, status: 'active', revision: 0 },
    };
  };
  const address = {
    name: 'Ada',
    line1: '1 Main St',
    city: 'Leeds',
    postalCode: 'LS1',
    country: 'GB',
  };
  const orders = [
    { orderId: 'o-1', customerId: 'c-1', lines: [line(0, 2), line(3, 1)], minute: 10 },
    { orderId: 'o-2', customerId: 'c-1', lines: [line(0, 3)], minute: 20 },
    { orderId: 'o-3', customerId: 'c-1', lines: [line(1, 1)], minute: 30 },
    { orderId: 'o-4', customerId: 'c-2', lines: [line(1, 5)], minute: 40 },
  ];
  for (const { minute, ...order } of orders) {
    const data = { ...order, shippingAddress: address, at: at(minute) };
    run('order', order.orderId, { type: 'PlaceOrder', data });
    for (const l of order.lines) {
      const data = { sku: l.product!.sku, orderId: order.orderId, quantity: l.quantity };
      run('stock', data.sku, { type: 'ReserveStock', data });
    }
  }
  // o-1 is confirmed, paid and shipped; o-2 confirmed then cancelled; o-3 cancelled while placed.
  const orderCommand = (orderId: string, type: string, minute: number, extra: object = {}) =>
    run('order', orderId, { type, data: { orderId, at: at(minute), ...extra } });
  orderCommand('o-1', 'ConfirmOrder', 11);
  orderCommand('o-1', 'RecordPayment', 12, { amount: eur(5400), paymentReference: 'pay-1' });
  orderCommand('o-1', 'ShipOrder', 13, { carrier: 'DHL', trackingNumber: 'trk-1' });
  for (const sku of ['MUG-1', 'LAMP-1']) {
    run('stock', sku, { type: 'CommitReservation', data: { sku, orderId: 'o-1' } });
  }
  orderCommand('o-2', 'ConfirmOrder', 21);
  orderCommand('o-2', 'CancelOrder', 22, { reason: 'changed mind' });
  run('stock', 'MUG-1', { type: 'ReleaseReservation', data: { sku: 'MUG-1', orderId: 'o-2' } });
  orderCommand('o-3', 'CancelOrder', 31, { reason: 'too slow' });
  run('stock', 'CUP-1', { type: 'ReleaseReservation', data: { sku: 'CUP-1', orderId: 'o-3' } });
  orderCommand('o-4', 'ConfirmOrder', 41);
  run('product', 'p-mug', {
    type: 'ChangeProductPrice',
    data: { productId: 'p-mug', price: eur(1500) },
  });
  run('product', 'p-pan', { type: 'DiscontinueProduct', data: { productId: 'p-pan' } });

  return { events, byStream, states };
}
