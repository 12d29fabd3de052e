import type { DocumentStore } from '../../shared-kernel/document-store/port';
import type { InventoryDoc } from '../../projections/read-models/inventory';

export const INVENTORY = 'inventory';

/** A SKU's stock as the query API answers it: the read model without its bookkeeping. */
export type StockView = Pick<
  InventoryDoc,
  'sku' | 'onHand' | 'reserved' | 'available' | 'version' | 'updatedAt'
>;

export async function stockOf(documents: DocumentStore, sku: string): Promise<StockView | null> {
  const doc = await documents.get<InventoryDoc>(INVENTORY, sku);
  if (!doc) return null;
  const { onHand, reserved, available, version, updatedAt } = doc;
  return { sku: doc.sku, onHand, reserved, available, version, updatedAt };
}
