/** Commands on a stock item (stream `stock-<sku>`). */
export type StockItemCommand =
  | { type: 'ReceiveStock'; data: { sku: string; quantity: number; reference?: string } }
  /** `quantity` is signed: a count correction, damage, shrinkage. */
  | { type: 'AdjustStock'; data: { sku: string; quantity: number; reason: string } }
  | { type: 'ReserveStock'; data: { sku: string; orderId: string; quantity: number } }
  | { type: 'ReleaseReservation'; data: { sku: string; orderId: string } }
  | { type: 'CommitReservation'; data: { sku: string; orderId: string } };

export type StockItemCommandType = StockItemCommand['type'];
