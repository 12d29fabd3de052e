import { expect } from 'chai';
import { checkDeclaration } from '../../shared-kernel/document-store/declaration';
import { mugCreated, mugId, movedLines, orderId, stream, teapotCreated } from './domain.fixtures';
import { productsCollection, productsProjection } from './products';
import { docIn, eur, eventLog, project } from './read-model.fixtures';

const mug = (documents: ReturnType<typeof project>) => docIn(documents, 'products', 'MUG-001');

describe('products read model', () => {
  const projection = productsProjection();
  let record: ReturnType<typeof eventLog>;
  beforeEach(() => (record = eventLog()));
  const created = () => record(stream.mug, 'ProductCreated', mugCreated);
  const confirmed = () => record(stream.order, 'OrderConfirmed', confirmation());
  const confirmation = () => ({ orderId, confirmedAt: 't', lines: movedLines });
  const cancelled = (previousStatus: string) =>
    record(stream.order, 'OrderCancelled', {
      orderId,
      reason: 'changed mind',
      cancelledAt: 't',
      previousStatus,
      lines: movedLines,
    });

  it('creates the product document, keyed by SKU, with no stock and no popularity', () => {
    const event = created();
    expect(mug(project(projection, [event]))).to.deep.equal({
      productId: mugId,
      sku: 'MUG-001',
      name: 'Mug',
      description: 'Stoneware, 300 ml',
      category: 'kitchen',
      price: eur(1299),
      attributes: { colour: 'blue' },
      status: 'active',
      stock: { onHand: 0, reserved: 0, available: 0 },
      popularity: 0,
      version: 0,
      stockVersion: null,
      popularityPosition: null,
      createdAt: event.metadata.occurredAt,
      updatedAt: event.metadata.occurredAt,
    });
  });

  it('applies only the details an update carries, then price and discontinuation', () => {
    const first = created();
    const sku = 'MUG-001';
    const events = [
      first,
      record(stream.mug, 'ProductDetailsUpdated', { productId: mugId, sku, name: 'Big mug' }),
      record(stream.mug, 'ProductDetailsUpdated', {
        productId: mugId,
        sku,
        description: '',
        attributes: { colour: 'red', size: 'L' },
      }),
      record(stream.mug, 'ProductPriceChanged', {
        productId: mugId,
        sku,
        previousPrice: eur(1299),
        price: eur(1499),
      }),
      record(stream.mug, 'ProductDiscontinued', { productId: mugId, sku, reason: null }),
    ];
    const last = events[events.length - 1]!;
    expect(mug(project(projection, events))).to.deep.include({
      name: 'Big mug',
      description: '',
      category: 'kitchen',
      attributes: { colour: 'red', size: 'L' },
      price: eur(1499),
      status: 'discontinued',
      version: 4,
      createdAt: first.metadata.occurredAt,
      updatedAt: last.metadata.occurredAt,
    });
  });

  it('keeps stock levels from every stock movement; a rejected reservation moves nothing', () => {
    const stock = (type: string, quantity: number, extra: object = {}) =>
      record(stream.mugStock, type, { sku: 'MUG-001', quantity, ...extra });
    const rejected = stock('StockReservationRejected', 50, { orderId: 'o-2', available: 9 });
    expect(projection.reads(rejected)).to.deep.equal([]);
    const documents = project(projection, [
      created(),
      stock('StockReceived', 10, { reference: null }),
      stock('StockReserved', 3, { orderId }),
      stock('StockReserved', 4, { orderId: 'o-3' }),
      stock('StockReservationReleased', 4, { orderId: 'o-3' }),
      stock('StockReservationCommitted', 3, { orderId }),
      stock('StockAdjusted', -2, { reason: 'broken' }),
      stock('StockReserved', 1, { orderId: 'o-4' }),
      rejected,
    ]);
    expect(mug(documents)?.stock).to.deep.equal({ onHand: 5, reserved: 1, available: 4 });
    expect(mug(documents)?.version, 'stock events are not product versions').to.equal(0);
  });

  it('starts a partial document for stock seen before the product, which creation completes', () => {
    const receipt = record(stream.mugStock, 'StockReceived', {
      sku: 'MUG-001',
      quantity: 7,
      reference: 'po-1',
    });
    const early = project(projection, [receipt]);
    expect(mug(early)).to.deep.include({
      productId: null,
      name: null,
      status: null,
      version: null,
    });
    expect(mug(early)?.stock).to.deep.equal({ onHand: 7, reserved: 0, available: 7 });
    const creation = created();
    const done = project(projection, [creation], early);
    expect(mug(done)).to.deep.include({ productId: mugId, status: 'active', version: 0 });
    expect(mug(done)?.stock).to.deep.equal({ onHand: 7, reserved: 0, available: 7 });
    expect(mug(done)?.createdAt).to.equal(creation.metadata.occurredAt);
  });

  it('counts confirmed units per SKU, and takes them back when a confirmed order is cancelled', () => {
    const teapot = record(stream.teapot, 'ProductCreated', teapotCreated);
    const afterConfirm = project(projection, [created(), teapot, confirmed()]);
    expect(mug(afterConfirm)?.popularity).to.equal(2);
    expect(docIn(afterConfirm, 'products', 'TEA-001')?.popularity).to.equal(1);
    expect(mug(project(projection, [cancelled('confirmed')], afterConfirm))?.popularity).to.equal(
      0,
    );
    expect(mug(project(projection, [cancelled('paid')], afterConfirm))?.popularity).to.equal(0);
  });

  it('never counts an order that was not confirmed: placed, rejected, cancelled while placed', () => {
    const before = project(projection, [created()]);
    const notCounted = [
      record(stream.order, 'OrderPlaced', { orderId }),
      record(stream.order, 'OrderRejected', {
        orderId,
        reason: 'r',
        failedSkus: [],
        rejectedAt: 't',
      }),
      cancelled('placed'),
    ];
    for (const event of notCounted) expect(projection.reads(event), event.type).to.deep.equal([]);
    expect(project(projection, notCounted, before)).to.deep.equal(before);
  });

  it('ignores events it does not handle and streams it does not know', () => {
    const before = project(projection, [created()]);
    const others = [
      record('sku-MUG-001', 'SkuReserved', { sku: 'MUG-001', productId: mugId }),
      record('billing-1', 'InvoiceIssued', { sku: 'MUG-001' }),
      record('legacy-MUG-001', 'StockReceived', { sku: 'MUG-001', quantity: 1, reference: null }),
      record(stream.order, 'PaymentRecorded', { orderId }),
    ];
    for (const event of others) expect(projection.apply(event, new Map())).to.deep.equal([]);
    expect(project(projection, others, before)).to.deep.equal(before);
    expect([...projection.handles]).to.include.members(['ProductCreated', 'OrderConfirmed']);
    for (const type of ['OrderPlaced', 'SkuReserved', 'StockReservationRejected']) {
      expect(projection.handles.has(type), type).to.equal(false);
    }
  });

  it('is idempotent: an event at or before the folded position changes nothing', () => {
    const receipt = { sku: 'MUG-001', quantity: 4, reference: null };
    const events = [created(), confirmed(), record(stream.mugStock, 'StockReceived', receipt)];
    const once = project(projection, events);
    expect(project(projection, events, once)).to.deep.equal(once);
    expect(mug(once)).to.deep.include({ popularity: 2, version: 0 });
  });

  it('applies a product event released late (after other streams moved on) by its own revision', () => {
    const receipt = { sku: 'MUG-001', quantity: 4, reference: null };
    const creation = created();
    const price = record(stream.mug, 'ProductPriceChanged', {
      productId: mugId,
      sku: 'MUG-001',
      previousPrice: eur(1299),
      price: eur(1499),
    });
    const laterStock = record(stream.mugStock, 'StockReceived', receipt);
    // A parked product stream is replayed after the stock stream was folded further on.
    const documents = project(projection, [creation, laterStock, price]);
    expect(mug(documents)).to.deep.include({ price: eur(1499), version: 1, stockVersion: 0 });
    expect(mug(documents)?.stock).to.deep.include({ onHand: 4 });
  });

  it('leaves a product never created absent when it sees changes to it', () => {
    const update = record(stream.mug, 'ProductPriceChanged', {
      productId: mugId,
      sku: 'MUG-001',
      previousPrice: eur(1),
      price: eur(2),
    });
    expect(projection.apply(update, new Map())).to.deep.equal([
      { collection: 'products', id: 'MUG-001', doc: null },
    ]);
  });

  it('declares valid indexes for lookups by id, lists by name and price ranges', () => {
    const declaration = checkDeclaration(productsCollection());
    const fields = declaration.indexes.flatMap((index) => index.fields.map((f) => f.field));
    expect(fields).to.include.members(['productId', 'category', 'status', 'name', 'price.amount']);
  });

  it('can run under another processor name and collection', () => {
    const copy = productsProjection({
      name: 'copy',
      collection: { name: 'copy_state', indexes: [] },
    });
    expect(copy.name).to.equal('copy');
    expect(docIn(project(copy, [created()]), 'copy_state', 'MUG-001')).to.include({
      sku: 'MUG-001',
    });
  });
});
