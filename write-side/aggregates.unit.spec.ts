import { expect } from 'chai';
import {
  aggregateIdOf,
  aggregates,
  aggregateTypeOfStream,
  domainEventUpcasting,
  isAggregateType,
  streamIdOf,
  type AggregateType,
} from './aggregates';

describe('Aggregate registry', () => {
  it('maps every stream id back to its aggregate type', () => {
    expect(streamIdOf('stock', 'MUG-1')).to.equal('stock-MUG-1');
    for (const type of Object.keys(aggregates) as AggregateType[]) {
      expect(aggregateTypeOfStream(streamIdOf(type, 'x1'))).to.equal(type);
    }
    expect(aggregateTypeOfStream('$projections-x')).to.equal(null);
    expect(aggregateTypeOfStream('customer-1')).to.equal(null);
  });

  it("reads the aggregate id from each aggregate's own id field, and names a missing one", () => {
    const ids: Record<AggregateType, [string, object]> = {
      product: ['p1', { productId: 'p1', sku: 'not-this' }],
      stock: ['MUG-1', { sku: 'MUG-1', orderId: 'not-this' }],
      order: ['o1', { orderId: 'o1', productId: 'not-this' }],
      sku: ['MUG-2', { sku: 'MUG-2', productId: 'not-this' }],
    };
    for (const [type, [id, data]] of Object.entries(ids)) {
      expect(aggregateIdOf(type as AggregateType, { data })).to.equal(id);
    }
    expect(() => aggregateIdOf('order', { data: { sku: 'x' } })).to.throw(TypeError, 'orderId');
  });

  it('recognises only its own aggregate types', () => {
    expect(isAggregateType('order')).to.equal(true);
    expect(isAggregateType('toString')).to.equal(false);
    expect(isAggregateType(3)).to.equal(false);
  });

  it('builds one upcasting over every aggregate, each event type owned by one aggregate', () => {
    const upcasting = domainEventUpcasting();
    expect(upcasting.currentVersion('ProductCreated')).to.equal(2);
    for (const definition of Object.values(aggregates)) {
      for (const type of Object.keys(definition.schemaVersions)) {
        expect(upcasting.currentVersion(type), type).to.equal(definition.schemaVersions[type]);
      }
    }
  });

  it('has prefixes that end in a dash and never overlap, so a stream maps to one aggregate', () => {
    const prefixes = Object.values(aggregates).map((definition) => definition.streamPrefix);
    for (const a of prefixes) {
      expect(a.endsWith('-'), a).to.equal(true);
      for (const b of prefixes) if (a !== b) expect(b.startsWith(a), `${a} / ${b}`).to.equal(false);
    }
  });
});
