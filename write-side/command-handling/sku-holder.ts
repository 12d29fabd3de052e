import type { CommandHandler } from './command-handler';

/**
 * Who claims a SKU, and whether the claim binds: it does while the claiming product exists with
 * that SKU, or may still come to (its create is not known to have ended). A claim for a product
 * that exists with another SKU is void: that create lost a race and left it behind.
 */
export type SkuClaim =
  | { state: 'free' }
  | { state: 'held'; productId: string; productExists: boolean }
  | { state: 'void'; productId: string };

export async function skuClaim(handler: CommandHandler, sku: string): Promise<SkuClaim> {
  const { state } = await handler.load('sku', sku);
  if (state.productId === null) return { state: 'free' };
  const product = (await handler.load('product', state.productId)).state;
  if (product.status === 'absent') {
    return { state: 'held', productId: state.productId, productExists: false };
  }
  if (product.sku !== sku) return { state: 'void', productId: state.productId };
  return { state: 'held', productId: state.productId, productExists: true };
}
