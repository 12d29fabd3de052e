import { expect } from 'chai';
import { validateDeclaration } from '../../shared-kernel/search-index/declaration';
import { mugCreated, mugId, movedLines, orderId, stream } from './domain.fixtures';
import type { ProductDoc } from './product-document';
import {
  PRODUCT_SEARCH_INDEX,
  productSearchStateProjection,
  searchIndexOperation,
  toSearchDocument,
} from './product-search';
import { productsProjection } from './products';
import { docIn, eur, eventLog, project } from './read-model.fixtures';

describe('product search mapping', () => {
  let record: ReturnType<typeof eventLog>;
  beforeEach(() => (record = eventLog()));
  const history = () => [
    record(stream.mug, 'ProductCreated', mugCreated),
    record(stream.mugStock, 'StockReceived', { sku: 'MUG-001', quantity: 5, reference: null }),
    record(stream.mugStock, 'StockReserved', { sku: 'MUG-001', quantity: 2, orderId }),
    record(stream.order, 'OrderConfirmed', { orderId, confirmedAt: 't', lines: movedLines }),
  ];

  it('declares a valid index: name^3, description^1, typed filters, price and popularity sortable', () => {
    expect(validateDeclaration(PRODUCT_SEARCH_INDEX)).to.equal(PRODUCT_SEARCH_INDEX);
    expect(PRODUCT_SEARCH_INDEX.name).to.equal('products');
    expect(PRODUCT_SEARCH_INDEX.text).to.deep.equal([
      { name: 'name', boost: 3 },
      { name: 'description', boost: 1 },
    ]);
    const sortable = PRODUCT_SEARCH_INDEX.fields.filter((f) => f.sortable).map((f) => f.name);
    expect(sortable).to.deep.equal(['price', 'popularity']);
  });

  it('maps a products document to the search document', () => {
    const events = history();
    const doc = docIn(project(productsProjection(), events), 'products', 'MUG-001') as ProductDoc;
    expect(toSearchDocument(doc)).to.deep.equal({
      productId: mugId,
      sku: 'MUG-001',
      name: 'Mug',
      description: 'Stoneware, 300 ml',
      category: 'kitchen',
      status: 'active',
      price: 1299,
      currency: 'EUR',
      available: 3,
      popularity: 2,
      inStock: true,
      attributes: { colour: 'blue' },
      stock: { onHand: 5, reserved: 2, available: 3 },
      updatedAt: events[3]!.metadata.occurredAt,
    });
  });

  it('gives every declared field a value of its declared type', () => {
    const doc = docIn(project(productsProjection(), history()), 'products', 'MUG-001');
    const searchDoc = toSearchDocument(doc as ProductDoc) ?? {};
    const jsType = { keyword: 'string', number: 'number', boolean: 'boolean', date: 'string' };
    for (const field of PRODUCT_SEARCH_INDEX.fields) {
      expect(typeof searchDoc[field.name], field.name).to.equal(jsType[field.type]);
    }
    for (const field of PRODUCT_SEARCH_INDEX.text) {
      expect(searchDoc[field.name], field.name).to.be.a('string');
    }
  });

  it('is out of stock when nothing is available, whatever is on hand', () => {
    const doc = docIn(
      project(productsProjection(), history()),
      'products',
      'MUG-001',
    ) as ProductDoc;
    const allReserved = { ...doc, stock: { onHand: 4, reserved: 4, available: 0 } };
    expect(toSearchDocument(allReserved)).to.include({ inStock: false, available: 0 });
  });

  it('has no search document for a product not created yet (stock seen first)', () => {
    const receipt = record(stream.mugStock, 'StockReceived', {
      sku: 'MUG-001',
      quantity: 5,
      reference: null,
    });
    const partial = docIn(project(productsProjection(), [receipt]), 'products', 'MUG-001');
    expect(partial).not.to.equal(null);
    expect(toSearchDocument(partial as ProductDoc)).to.equal(null);
  });

  it('keeps a discontinued product searchable, with its status to filter on', () => {
    const events = [
      ...history(),
      record(stream.mug, 'ProductDiscontinued', { productId: mugId, sku: 'MUG-001', reason: null }),
    ];
    const doc = docIn(project(productsProjection(), events), 'products', 'MUG-001') as ProductDoc;
    expect(toSearchDocument(doc)).to.include({ status: 'discontinued', price: eur(1299).amount });
  });

  it('runs the same fold as products under its own processor and state collection', () => {
    const state = productSearchStateProjection();
    const products = productsProjection();
    expect(state.name).to.equal('product-search');
    expect(state.collections.map((c) => c.name)).to.deep.equal(['product_search_state']);
    expect([...state.handles]).to.deep.equal([...products.handles]);
    const events = history();
    expect(docIn(project(state, events), 'product_search_state', 'MUG-001')).to.deep.equal(
      docIn(project(products, events), 'products', 'MUG-001'),
    );
  });

  it('turns each state write into an upsert, or a delete when there is nothing to search', () => {
    const events = history();
    const doc = docIn(project(productsProjection(), events), 'products', 'MUG-001') as ProductDoc;
    const write = { collection: 'product_search_state', id: 'MUG-001' };
    const version = events[3]!.position;
    expect(searchIndexOperation({ ...write, doc }, version)).to.deep.equal({
      op: 'upsert',
      id: 'MUG-001',
      version,
      doc: toSearchDocument(doc),
    });
    const partial = { ...doc, productId: null, name: null, price: null, status: null };
    for (const gone of [null, partial]) {
      expect(searchIndexOperation({ ...write, doc: gone }, version)).to.deep.equal({
        op: 'delete',
        id: 'MUG-001',
        version,
      });
    }
  });
});
