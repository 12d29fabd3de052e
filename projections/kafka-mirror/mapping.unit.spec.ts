import { expect } from 'chai';
import type { Decider } from '../../shared-kernel/decider';
import { ValidationError } from '../../shared-kernel/errors';
import type { DomainEvent } from '../../shared-kernel/events/envelope';
import type { IntegrationMessage } from '../../shared-kernel/integration/port';
import { validateMessages } from '../../shared-kernel/integration/validate-messages';
import { aggregates, type AggregateType } from '../../write-side/aggregates';
import type { ProductCommand } from '../../write-side/catalog/product/commands';
import type { StockItemCommand } from '../../write-side/inventory/stock-item/commands';
import type { OrderCommand } from '../../write-side/orders/order/commands';
import { integrationMessageFor, toIntegrationMessage } from './mapping';

const at = (minute: number) => `2026-05-01T10:${String(minute).padStart(2, '0')}:00.000Z`;

/**
 * Given commands, runs them through the aggregate's real decider and maps each event with the
 * state after it, as the mirror will: the spec follows the write side's events as they evolve.
 */
function mapped<C, S, E extends DomainEvent>(
  aggregate: AggregateType,
  decider: Decider<C, S, E>,
  commands: C[],
): IntegrationMessage[] {
  let state = decider.initialState;
  const messages: IntegrationMessage[] = [];
  commands.forEach((command, index) => {
    for (const event of decider.decide(command, state)) {
      state = decider.evolve(state, event);
      const source = { ...event, eventId: `event-${index}`, metadata: { occurredAt: at(index) } };
      const message = toIntegrationMessage({ aggregate, event: source, state } as never);
      if (message) messages.push(message);
    }
  });
  validateMessages(messages); // whatever the mapper makes must be publishable
  return messages;
}

const eur = (amount: number) => ({ amount, currency: 'EUR' });
const productId = '0190a000-0000-7000-8000-000000000001';

describe('Kafka mirror mapping: internal events -> public integration events', () => {
  describe('catalog', () => {
    const commands: ProductCommand[] = [
      {
        type: 'CreateProduct',
        data: {
          productId,
          sku: 'MUG-1',
          name: 'Mug',
          description: 'A mug',
          category: 'kitchen',
          price: eur(1299),
          attributes: { colour: 'blue' },
        },
      },
      { type: 'ChangeProductPrice', data: { productId, price: eur(1499) } },
      { type: 'UpdateProductDetails', data: { productId, name: 'Big mug' } },
      { type: 'DiscontinueProduct', data: { productId, reason: 'supplier gone' } },
    ];
    const messages = mapped('product', aggregates.product.decider, commands);
    const whole = {
      productId,
      sku: 'MUG-1',
      name: 'Mug',
      description: 'A mug',
      category: 'kitchen',
      price: eur(1299),
      attributes: { colour: 'blue' },
      status: 'active',
    };

    it('turns create, price and detail changes into ProductUpdated with the whole product', () => {
      expect(messages.map((m) => m.headers.ce_type)).to.deep.equal([
        'strata.catalog.ProductUpdated.v1',
        'strata.catalog.ProductUpdated.v1',
        'strata.catalog.ProductUpdated.v1',
        'strata.catalog.ProductDiscontinued.v1',
      ]);
      expect(messages[0]!.value).to.deep.equal(whole);
      expect(messages[1]!.value).to.deep.equal({ ...whole, price: eur(1499) });
      expect(messages[2]!.value).to.deep.equal({ ...whole, price: eur(1499), name: 'Big mug' });
    });

    it('turns a discontinuation into ProductDiscontinued with the reason', () => {
      expect(messages[3]!.value).to.deep.equal({
        ...whole,
        price: eur(1499),
        name: 'Big mug',
        status: 'discontinued',
        reason: 'supplier gone',
      });
    });

    it('keys by product id on the catalog topic, with the source event id as ce_id', () => {
      expect(messages[1]).to.deep.include({ topic: 'strata.catalog.v1', key: productId });
      expect(messages[1]!.headers).to.deep.equal({
        ce_specversion: '1.0',
        ce_id: 'event-1',
        ce_source: '/strata/catalog',
        ce_type: 'strata.catalog.ProductUpdated.v1',
        ce_time: at(1),
        ce_subject: `product/${productId}`,
        'content-type': 'application/json',
      });
    });
  });

  describe('inventory', () => {
    const sku = 'MUG-1';
    const commands: StockItemCommand[] = [
      { type: 'ReceiveStock', data: { sku, quantity: 10 } },
      { type: 'ReserveStock', data: { sku, orderId: 'o-1', quantity: 4 } },
      { type: 'ReserveStock', data: { sku, orderId: 'o-2', quantity: 20 } }, // rejected
      { type: 'CommitReservation', data: { sku, orderId: 'o-1' } },
      { type: 'AdjustStock', data: { sku, quantity: -1, reason: 'broken' } },
    ];
    const messages = mapped('stock', aggregates.stock.decider, commands);

    it('turns every stock event into StockLevelChanged with the level it leaves', () => {
      expect(messages.map((m) => m.value)).to.deep.equal([
        { sku, onHand: 10, reserved: 0, available: 10 },
        { sku, onHand: 10, reserved: 4, available: 6 },
        { sku, onHand: 10, reserved: 4, available: 6 },
        { sku, onHand: 6, reserved: 0, available: 6 },
        { sku, onHand: 5, reserved: 0, available: 5 },
      ]);
      for (const message of messages) {
        expect(message).to.deep.include({ topic: 'strata.inventory.v1', key: sku });
        expect(message.headers.ce_type).to.equal('strata.inventory.StockLevelChanged.v1');
        expect(message.headers.ce_subject).to.equal(`stock/${sku}`);
      }
    });
  });

  describe('orders', () => {
    const orderId = 'order-7';
    const product = { sku: 'MUG-1', price: eur(1000), status: 'active' as const, revision: 0 };
    const address = {
      name: 'A',
      line1: 'Street 1',
      city: 'Town',
      postalCode: '1000',
      country: 'BE',
    };
    const place = (id: string): OrderCommand => ({
      type: 'PlaceOrder',
      data: {
        orderId: id,
        customerId: 'customer-1',
        lines: [{ productId, quantity: 3, product }],
        shippingAddress: address,
        at: at(0),
      },
    });
    const lines = [
      { productId, sku: 'MUG-1', quantity: 3, unitPrice: eur(1000), lineTotal: eur(3000) },
    ];
    const order = (id: string, status: string) => ({
      orderId: id,
      customerId: 'customer-1',
      status,
      lines,
      total: eur(3000),
    });

    it('publishes the public order with each step, never the address or payment reference', () => {
      const messages = mapped('order', aggregates.order.decider, [
        place(orderId),
        { type: 'ConfirmOrder', data: { orderId, at: at(1) } },
        {
          type: 'RecordPayment',
          data: { orderId, amount: eur(3000), paymentReference: 'psp-secret', at: at(2) },
        },
        { type: 'ShipOrder', data: { orderId, carrier: 'bpost', trackingNumber: 'T1', at: at(3) } },
      ]);
      expect(messages.map((m) => m.value)).to.deep.equal([
        { ...order(orderId, 'placed'), placedAt: at(0) },
        { ...order(orderId, 'confirmed'), confirmedAt: at(1) },
        { ...order(orderId, 'paid'), amount: eur(3000), paidAt: at(2) },
        { ...order(orderId, 'shipped'), carrier: 'bpost', trackingNumber: 'T1', shippedAt: at(3) },
      ]);
      expect(messages.map((m) => m.headers.ce_type)).to.deep.equal(
        ['OrderPlaced', 'OrderConfirmed', 'OrderPaid', 'OrderShipped'].map(
          (type) => `strata.orders.${type}.v1`,
        ),
      );
      expect(messages.every((m) => m.topic === 'strata.orders.v1' && m.key === orderId)).to.equal(
        true,
      );
      expect(JSON.stringify(messages)).not.to.contain('psp-secret').and.not.to.contain('Street 1');
    });

    it('publishes rejections and cancellations with their reasons', () => {
      const rejected = mapped('order', aggregates.order.decider, [
        place('order-8'),
        {
          type: 'RejectOrder',
          data: { orderId: 'order-8', reason: 'out of stock', failedSkus: ['MUG-1'], at: at(1) },
        },
      ]);
      expect(rejected[1]!.value).to.deep.equal({
        ...order('order-8', 'rejected'),
        reason: 'out of stock',
        failedSkus: ['MUG-1'],
        rejectedAt: at(1),
      });
      const cancelled = mapped('order', aggregates.order.decider, [
        place('order-9'),
        { type: 'CancelOrder', data: { orderId: 'order-9', reason: 'changed mind', at: at(1) } },
      ]);
      expect(cancelled[1]!.headers.ce_type).to.equal('strata.orders.OrderCancelled.v1');
      expect(cancelled[1]!.value).to.deep.equal({
        ...order('order-9', 'cancelled'),
        reason: 'changed mind',
        cancelledAt: at(1),
      });
    });
  });

  describe('what is not published', () => {
    const facts = { eventId: 'e-1', metadata: { occurredAt: at(0) } };

    it('keeps SKU reservations internal', () => {
      const event = { ...facts, type: 'SkuReserved' as const, data: { sku: 'MUG-1', productId } };
      const state = aggregates.sku.decider.evolve(aggregates.sku.decider.initialState, event);
      expect(toIntegrationMessage({ aggregate: 'sku', event, state })).to.equal(null);
    });

    it('refuses a product or order event without the state after it, naming the event', () => {
      const event = {
        ...facts,
        type: 'ProductDiscontinued',
        data: { productId, sku: 'MUG-1', reason: null },
        streamId: `product-${productId}`,
        revision: 1,
        position: '0001',
        recordedAt: at(0),
      };
      expect(() =>
        integrationMessageFor('product', event as never, aggregates.product.decider.initialState),
      ).to.throw(ValidationError, 'event e-1 (ProductDiscontinued)');
    });
  });
});
