import { expect } from 'chai';
import { checkDeclaration } from '../../shared-kernel/document-store/declaration';
import { inventoryCollection, inventoryProjection } from './inventory';
import { docIn, eventLog, project } from './read-model.fixtures';

describe('inventory read model', () => {
  const projection = inventoryProjection();
  let record: ReturnType<typeof eventLog>;
  beforeEach(() => (record = eventLog()));
  const stock = (type: string, quantity: number, extra: object = {}) =>
    record('stock-MUG-001', type, { sku: 'MUG-001', quantity, ...extra });
  const mug = (documents: ReturnType<typeof project>) => docIn(documents, 'inventory', 'MUG-001');

  it('creates the stock level on the first receipt', () => {
    const receipt = stock('StockReceived', 10, { reference: 'po-1' });
    expect(mug(project(projection, [receipt]))).to.deep.equal({
      sku: 'MUG-001',
      onHand: 10,
      reserved: 0,
      available: 10,
      version: 0,
      updatedAt: receipt.metadata.occurredAt,
    });
  });

  it('follows adjustments, reservations, releases and commits', () => {
    const events = [
      stock('StockReceived', 10, { reference: null }),
      stock('StockAdjusted', 2, { reason: 'found' }),
      stock('StockReserved', 5, { orderId: 'o-1' }),
      stock('StockReserved', 3, { orderId: 'o-2' }),
      stock('StockReservationReleased', 3, { orderId: 'o-2' }),
      stock('StockReservationCommitted', 5, { orderId: 'o-1' }),
      stock('StockReserved', 4, { orderId: 'o-3' }),
    ];
    expect(mug(project(projection, events))).to.deep.include({
      onHand: 7,
      reserved: 4,
      available: 3,
      version: 6,
    });
  });

  it('moves only the version on a rejected reservation, and never creates a stock item for one', () => {
    const alone = project(projection, [
      stock('StockReservationRejected', 1, { orderId: 'o-1', available: 0 }),
    ]);
    expect(mug(alone)).to.equal(null);
    const later = project(projection, [
      stock('StockReceived', 1, { reference: null }),
      stock('StockReservationRejected', 5, { orderId: 'o-2', available: 1 }),
    ]);
    expect(mug(later)).to.deep.include({ onHand: 1, reserved: 0, available: 1, version: 2 });
  });

  it('ignores events of other aggregates and unknown streams', () => {
    const others = [
      record('product-1', 'ProductCreated', { sku: 'MUG-001' }),
      record('order-1', 'OrderConfirmed', { orderId: 'o', lines: [] }),
      record('warehouse-1', 'PalletMoved', { sku: 'MUG-001' }),
    ];
    for (const event of others) expect(projection.reads(event), event.type).to.deep.equal([]);
    expect(project(projection, others).size).to.equal(0);
  });

  it('is idempotent: an event at or before the folded version changes nothing', () => {
    const events = [
      stock('StockReceived', 4, { reference: null }),
      stock('StockReserved', 1, { orderId: 'o' }),
    ];
    const once = project(projection, events);
    expect(project(projection, events, once)).to.deep.equal(once);
    expect(mug(once)).to.deep.include({ onHand: 4, reserved: 1 });
  });

  it('declares a valid collection', () => {
    expect(checkDeclaration(inventoryCollection()).name).to.equal('inventory');
  });
});
