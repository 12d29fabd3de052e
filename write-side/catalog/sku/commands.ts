/**
 * The SKU claim of a product (stream `sku-<sku>`). `voidHolder`: the CreateProduct context found
 * the SKU claimed for that product, which holds another SKU (its create lost a race), so the
 * claim binds nothing and may be taken over. `ReleaseSku` gives up a claim whose product create
 * was refused.
 */
export type SkuCommand =
  | { type: 'ReserveSku'; data: { sku: string; productId: string; voidHolder?: string } }
  | { type: 'ReleaseSku'; data: { sku: string; productId: string } };
