/** Claims a SKU for a product (stream `sku-<sku>`, appended with `no_stream`). */
export type SkuCommand = { type: 'ReserveSku'; data: { sku: string; productId: string } };
