import { expect } from 'chai';
import { ConflictError, NotFoundError, ValidationError } from '../../../shared-kernel/errors';
import { deciderSpec } from '../../../shared-kernel/decider.fixtures';
import type { ProductCommand } from './commands';
import { productDecider } from './decider';
import type { ProductEvent } from './events';

const given = deciderSpec(productDecider);
const productId = '0190f5a2-0000-7000-8000-000000000001';
const eur = (amount: number) => ({ amount, currency: 'EUR' });

const create: Extract<ProductCommand, { type: 'CreateProduct' }> = {
  type: 'CreateProduct',
  data: {
    productId,
    sku: 'MUG-001',
    name: 'Mug',
    description: 'Stoneware, 300 ml',
    category: 'kitchen',
    price: eur(1299),
    attributes: { colour: 'blue' },
  },
};
const created: ProductEvent = { type: 'ProductCreated', data: { ...create.data } };
const discontinued: ProductEvent = {
  type: 'ProductDiscontinued',
  data: { productId, sku: 'MUG-001', reason: null },
};

describe('Product decider', () => {
  describe('CreateProduct', () => {
    it('creates an active product', () => {
      const state = given([]).when(create).then([created]);
      expect(state).to.include({ status: 'active', name: 'Mug', sku: 'MUG-001' });
    });
    it('refuses a product that exists', () => {
      given([created]).when(create).thenThrows(ConflictError, 'product-already-exists');
    });
    it('refuses a malformed SKU, an empty name, a fractional or negative price', () => {
      const bad = (data: Partial<typeof create.data>) => ({
        ...create,
        data: { ...create.data, ...data },
      });
      given([])
        .when(bad({ sku: '-mug' }))
        .thenThrows(ValidationError, 'sku');
      given([])
        .when(bad({ name: '  ' }))
        .thenThrows(ValidationError, 'name');
      given([])
        .when(bad({ price: eur(12.5) }))
        .thenThrows(ValidationError, 'amount');
      given([])
        .when(bad({ price: eur(-1) }))
        .thenThrows(ValidationError, 'price.amount');
    });
  });

  describe('UpdateProductDetails', () => {
    const update = (
      data: Omit<Extract<ProductCommand, { type: 'UpdateProductDetails' }>['data'], 'productId'>,
    ): ProductCommand => ({
      type: 'UpdateProductDetails',
      data: { productId, ...data },
    });
    it('records only the fields that changed', () => {
      const state = given([created])
        .when(update({ name: 'Big mug', category: 'kitchen', attributes: { colour: 'red' } }))
        .then([
          {
            type: 'ProductDetailsUpdated',
            data: { productId, sku: 'MUG-001', name: 'Big mug', attributes: { colour: 'red' } },
          },
        ]);
      expect(state).to.deep.include({ name: 'Big mug', attributes: { colour: 'red' } });
    });
    it('records nothing when nothing changed (attributes compared by content)', () => {
      given([created])
        .when(
          update({ name: 'Mug', description: 'Stoneware, 300 ml', attributes: { colour: 'blue' } }),
        )
        .then([]);
    });
    it('refuses a discontinued product, a missing one, and an empty name', () => {
      given([created, discontinued])
        .when(update({ name: 'x' }))
        .thenThrows(ConflictError, 'product-discontinued');
      given([])
        .when(update({ name: 'x' }))
        .thenThrows(NotFoundError, productId);
      given([created])
        .when(update({ name: '' }))
        .thenThrows(ValidationError, 'name');
    });
  });

  describe('ChangeProductPrice', () => {
    const change = (price: { amount: number; currency: string }): ProductCommand => ({
      type: 'ChangeProductPrice',
      data: { productId, price },
    });
    it('records the previous and the new price, currency changes included', () => {
      given([created])
        .when(change({ amount: 1399, currency: 'USD' }))
        .then([
          {
            type: 'ProductPriceChanged',
            data: {
              productId,
              sku: 'MUG-001',
              previousPrice: eur(1299),
              price: { amount: 1399, currency: 'USD' },
            },
          },
        ]);
    });
    it('records nothing for the same price', () => {
      given([created])
        .when(change(eur(1299)))
        .then([]);
    });
    it('refuses a discontinued product, a missing one, and a bad currency', () => {
      given([created, discontinued])
        .when(change(eur(1)))
        .thenThrows(ConflictError, 'product-discontinued');
      given([])
        .when(change(eur(1)))
        .thenThrows(NotFoundError, 'does not exist');
      given([created])
        .when(change({ amount: 1, currency: 'euro' }))
        .thenThrows(ValidationError, 'currency');
    });
  });

  describe('DiscontinueProduct', () => {
    const discontinue: ProductCommand = {
      type: 'DiscontinueProduct',
      data: { productId, reason: 'supplier gone' },
    };
    it('discontinues, with the reason or null', () => {
      const state = given([created])
        .when(discontinue)
        .then([
          {
            type: 'ProductDiscontinued',
            data: { productId, sku: 'MUG-001', reason: 'supplier gone' },
          },
        ]);
      expect(state.status).to.equal('discontinued');
      given([created])
        .when({ type: 'DiscontinueProduct', data: { productId } })
        .then([discontinued]);
    });
    it('is idempotent: discontinuing twice records nothing', () => {
      given([created, discontinued]).when(discontinue).then([]);
    });
    it('refuses a missing product', () => {
      given([]).when(discontinue).thenThrows(NotFoundError, productId);
    });
  });
});
