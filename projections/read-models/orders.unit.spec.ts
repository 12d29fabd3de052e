import { expect } from 'chai';
import { checkDeclaration } from '../../shared-kernel/document-store/declaration';
import { movedLines, orderId, orderLines, orderPlaced, stream } from './domain.fixtures';
import { ordersCollection, ordersProjection } from './orders';
import { docIn, eur, eventLog, project, type Documents } from './read-model.fixtures';

describe('orders read model', () => {
  const projection = ordersProjection();
  let record: ReturnType<typeof eventLog>;
  beforeEach(() => (record = eventLog()));
  const order = (documents: Documents) => docIn(documents, 'orders', orderId);
  const on = (type: string, data: object) => record(stream.order, type, { orderId, ...data });
  const placed = () => record(stream.order, 'OrderPlaced', orderPlaced);
  const confirmed = () => on('OrderConfirmed', { confirmedAt: 't1', lines: movedLines });

  it('creates the order on placement with its lines, total, address and first status', () => {
    const event = placed();
    expect(order(project(projection, [event]))).to.deep.equal({
      orderId,
      customerId: 'customer-1',
      lines: orderLines,
      total: eur(7098),
      shippingAddress: orderPlaced.shippingAddress,
      status: 'placed',
      statusHistory: [{ status: 'placed', at: orderPlaced.placedAt }],
      placedAt: orderPlaced.placedAt,
      updatedAt: event.metadata.occurredAt,
      version: 0,
    });
  });

  it('follows confirmation, payment and shipment, recording each with its domain time', () => {
    const events = [
      placed(),
      confirmed(),
      on('PaymentRecorded', { amount: eur(7098), paymentReference: 'pay-1', paidAt: 't2' }),
      on('OrderShipped', { carrier: 'DHL', trackingNumber: 'trk-1', shippedAt: 't3' }),
    ];
    const doc = order(project(projection, events));
    expect(doc).to.deep.include({
      status: 'shipped',
      version: 3,
      updatedAt: events[3]!.metadata.occurredAt,
      payment: { amount: eur(7098), paymentReference: 'pay-1', paidAt: 't2' },
      shipment: { carrier: 'DHL', trackingNumber: 'trk-1', shippedAt: 't3' },
    });
    expect(doc?.statusHistory).to.deep.equal([
      { status: 'placed', at: orderPlaced.placedAt },
      { status: 'confirmed', at: 't1' },
      { status: 'paid', at: 't2' },
      { status: 'shipped', at: 't3' },
    ]);
    expect(doc).not.to.have.any.keys('rejection', 'cancellation');
  });

  it('records why an order was rejected and which SKUs failed', () => {
    const events = [
      placed(),
      on('OrderRejected', { reason: 'out of stock', failedSkus: ['TEA-001'], rejectedAt: 't1' }),
    ];
    expect(order(project(projection, events))).to.deep.include({
      status: 'rejected',
      rejection: { reason: 'out of stock', failedSkus: ['TEA-001'] },
    });
  });

  it('records a cancellation and its reason', () => {
    const events = [
      placed(),
      confirmed(),
      on('OrderCancelled', {
        reason: 'changed mind',
        cancelledAt: 't2',
        previousStatus: 'confirmed',
        lines: movedLines,
      }),
    ];
    const doc = order(project(projection, events));
    expect(doc).to.deep.include({ status: 'cancelled', cancellation: { reason: 'changed mind' } });
    expect(doc?.statusHistory).to.have.length(3);
  });

  it('stays absent when it sees an order whose placement it never saw', () => {
    expect(projection.apply(confirmed(), new Map())).to.deep.equal([
      { collection: 'orders', id: orderId, doc: null },
    ]);
  });

  it('ignores events of other aggregates and unknown streams', () => {
    const others = [
      record(stream.mugStock, 'StockReserved', { sku: 'MUG-001', orderId, quantity: 1 }),
      record('billing-1', 'InvoiceIssued', { orderId }),
    ];
    for (const event of others) expect(projection.reads(event), event.type).to.deep.equal([]);
    expect(project(projection, others).size).to.equal(0);
  });

  it('is idempotent: an event at or before the folded version changes nothing', () => {
    const events = [placed(), confirmed()];
    const once = project(projection, events);
    expect(project(projection, events, once)).to.deep.equal(once);
    expect(order(once)?.statusHistory).to.have.length(2);
  });

  it("declares valid indexes for a customer's orders newest first, by status too", () => {
    const declaration = checkDeclaration(ordersCollection());
    expect(
      declaration.indexes.map((i) => i.fields.map((f) => `${f.field}:${f.direction}`)),
    ).to.deep.include.members([
      ['customerId:asc', 'placedAt:desc'],
      ['customerId:asc', 'status:asc', 'placedAt:desc'],
    ]);
  });
});
