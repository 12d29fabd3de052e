import { assertNever, type Decider } from '../../../shared-kernel/decider';
import { ConflictError, ValidationError } from '../../../shared-kernel/errors';
import { isSku, SKU_DESCRIPTION } from '../../../shared-kernel/ids';
import type { SkuCommand } from './commands';
import type { SkuEvent } from './events';

/**
 * Which product claims the SKU; null while it is free. A claim binds only while that product
 * exists with this SKU (create-product-context.ts, receive-stock-context.ts check it).
 */
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
        const { sku, productId, voidHolder } = command.data;
        requireValidSku(sku);
        if (state.productId === productId) return [];
        if (state.productId !== null && state.productId !== voidHolder) {
          throw new ConflictError('duplicate-sku', `SKU ${sku} belongs to another product`);
        }
        return [{ type: 'SkuReserved', data: { sku, productId } }];
      }
      case 'ReleaseSku': {
        const { sku, productId } = command.data;
        if (state.productId !== productId) return [];
        return [{ type: 'SkuReleased', data: { sku, productId } }];
      }
      default:
        return assertNever(command, 'SKU command');
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'SkuReserved':
        return { productId: event.data.productId };
      case 'SkuReleased':
        return { productId: null };
      default:
        return assertNever(event, 'SKU event');
    }
  },
};
