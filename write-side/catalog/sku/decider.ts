import { assertNever, type Decider } from '../../../shared-kernel/decider';
import { ConflictError, ValidationError } from '../../../shared-kernel/errors';
import { isSku, SKU_DESCRIPTION } from '../../../shared-kernel/ids';
import type { SkuCommand } from './commands';
import type { SkuEvent } from './events';

/** Which product holds the SKU; null while it is free. */
export interface SkuState {
  productId: string | null;
}

export function isValidSku(sku: unknown): sku is string {
  return isSku(sku);
}

export function requireValidSku(sku: string, field = 'sku'): void {
  if (!isValidSku(sku)) {
    throw new ValidationError([{ field, message: `must be ${SKU_DESCRIPTION}` }]);
  }
}

export const skuDecider: Decider<SkuCommand, SkuState, SkuEvent> = {
  initialState: { productId: null },

  decide(command, state) {
    switch (command.type) {
      case 'ReserveSku': {
        const { sku, productId } = command.data;
        requireValidSku(sku);
        if (state.productId === productId) return [];
        if (state.productId !== null) {
          throw new ConflictError('duplicate-sku', `SKU ${sku} belongs to another product`);
        }
        return [{ type: 'SkuReserved', data: { sku, productId } }];
      }
      default:
        return assertNever(command.type, 'SKU command');
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'SkuReserved':
        return { productId: event.data.productId };
      default:
        return assertNever(event.type, 'SKU event');
    }
  },
};
