import { expect } from 'chai';
import {
  aggregates,
  aggregateTypeOfStream,
  domainEventUpcasting,
  isAggregateType,
} from './aggregates';
import { streamIdFor as productStream } from './catalog/product/decider';
import { streamIdFor as skuStream } from './catalog/sku/decider';
import { streamIdFor as stockStream } from './inventory/stock-item/decider';
import { streamIdFor as orderStream } from './orders/order/decider';

describe('Aggregate registry', () => {
  it('maps every stream id back to its aggregate type, by the prefix its decider uses', () => {
    expect(aggregateTypeOfStream(productStream('p1'))).to.equal('product');
    expect(aggregateTypeOfStream(skuStream('MUG-1'))).to.equal('sku');
    expect(aggregateTypeOfStream(stockStream('MUG-1'))).to.equal('stock');
    expect(aggregateTypeOfStream(orderStream('o1'))).to.equal('order');
    expect(aggregateTypeOfStream('$projections-x')).to.equal(null);
    expect(aggregateTypeOfStream('customer-1')).to.equal(null);
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
