import { expect } from 'chai';
import { ConflictError, ValidationError } from '../../../shared-kernel/errors';
import { deciderSpec } from '../../../shared-kernel/decider.fixtures';
import { isValidSku, skuDecider } from './decider';

const given = deciderSpec(skuDecider);
const reserve = (productId: string, sku = 'MUG-001') =>
  ({ type: 'ReserveSku', data: { sku, productId } }) as const;

describe('SKU reservation decider', () => {
  it('reserves a free SKU for a product', () => {
    const state = given([])
      .when(reserve('p1'))
      .then([{ type: 'SkuReserved', data: { sku: 'MUG-001', productId: 'p1' } }]);
    expect(state.productId).to.equal('p1');
  });

  it('records nothing when the same product reserves it again', () => {
    given([{ type: 'SkuReserved', data: { sku: 'MUG-001', productId: 'p1' } }])
      .when(reserve('p1'))
      .then([]);
  });

  it('refuses a SKU held by another product', () => {
    given([{ type: 'SkuReserved', data: { sku: 'MUG-001', productId: 'p1' } }])
      .when(reserve('p2'))
      .thenThrows(ConflictError, 'duplicate-sku');
  });

  it('refuses a malformed SKU', () => {
    given([]).when(reserve('p1', '.hidden')).thenThrows(ValidationError, 'sku');
  });

  it('accepts 1-64 chars of [A-Za-z0-9._-] starting alphanumeric, nothing else', () => {
    for (const ok of ['A', 'mug-1.blue_L', 'x'.repeat(64)])
      expect(isValidSku(ok), ok).to.equal(true);
    for (const bad of ['', '_a', 'a b', 'a/b', 'x'.repeat(65), 'é', 42]) {
      expect(isValidSku(bad), String(bad)).to.equal(false);
    }
  });
});
