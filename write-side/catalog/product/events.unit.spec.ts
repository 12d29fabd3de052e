import { expect } from 'chai';
import { foldEvents } from '../../../shared-kernel/decider';
import type { RecordedEvent } from '../../../shared-kernel/events/envelope';
import { StoreError } from '../../../shared-kernel/errors';
import { domainEventUpcasting } from '../../aggregates';
import { productDecider } from './decider';
import type { ProductEvent } from './events';

const productId = '0190f5a2-0000-7000-8000-0000000000aa';

function recorded(
  revision: number,
  type: string,
  data: unknown,
  schemaVersion: number,
): RecordedEvent {
  return {
    eventId: `0190f5a2-0000-7000-8000-00000000000${revision}`,
    type,
    data,
    metadata: {
      correlationId: 'c',
      causationId: null,
      actor: 'test',
      occurredAt: '2024-03-01T10:00:00.000Z',
      schemaVersion,
    },
    streamId: `product-${productId}`,
    revision,
    position: revision.toString(16).padStart(16, '0'),
    recordedAt: '2024-03-01T10:00:00.000Z',
  };
}

// A product created before prices were Money (v1: bare cents + currency), repriced since.
const history = [
  recorded(
    0,
    'ProductCreated',
    {
      productId,
      sku: 'OLD-1',
      name: 'Kettle',
      description: '',
      category: 'kitchen',
      attributes: {},
      price: 2500,
      currency: 'GBP',
    },
    1,
  ),
  recorded(
    1,
    'ProductPriceChanged',
    {
      productId,
      previousPrice: { amount: 2500, currency: 'GBP' },
      price: { amount: 2700, currency: 'GBP' },
    },
    1,
  ),
];

describe('Product events: ProductCreated v1 -> v2 upcasting', () => {
  const upcasting = domainEventUpcasting();

  it('writes ProductCreated at version 2', () => {
    expect(upcasting.currentVersion('ProductCreated')).to.equal(2);
  });

  it('folds a stream whose creation was recorded at v1 into a Money-priced product', () => {
    const events = history.map((event) => upcasting.upcast(event) as unknown as ProductEvent);
    expect(events[0]?.data).to.deep.include({ price: { amount: 2500, currency: 'GBP' } });
    expect(events[0]?.data).not.to.have.property('currency');
    const state = foldEvents(productDecider, events);
    expect(state).to.deep.include({
      status: 'active',
      sku: 'OLD-1',
      price: { amount: 2700, currency: 'GBP' },
    });
    // The upcast state is one the decider works with: the same price is recognised as no change.
    const again = productDecider.decide(
      { type: 'ChangeProductPrice', data: { productId, price: { amount: 2700, currency: 'GBP' } } },
      state,
    );
    expect(again).to.deep.equal([]);
  });

  it('refuses a v1 ProductCreated whose price is not integer cents', () => {
    const broken = recorded(0, 'ProductCreated', { productId, price: '25.00', currency: 'GBP' }, 1);
    expect(() => upcasting.upcast(broken)).to.throw(StoreError, 'ProductCreated from version 1');
  });
});
