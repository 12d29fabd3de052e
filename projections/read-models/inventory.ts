import type { CollectionDeclaration } from '../../shared-kernel/document-store/port';
import type { RecordedEvent } from '../../shared-kernel/events/envelope';
import { evolveProjection, type DocumentProjection } from '../engine/projection';
import { STOCK_EVENT_TYPES, alreadyApplied, asStockEvent } from './domain-events';
import { NO_STOCK, applyStockEvent, type StockLevels } from './stock-levels';

export type InventoryDoc = StockLevels & {
  sku: string;
  /** Revision of the stock stream's last event folded in. */
  version: number;
  updatedAt: string;
};

/** Read by SKU only (the document key), so no secondary index is needed. */
export function inventoryCollection(): CollectionDeclaration {
  return { name: 'inventory', indexes: [] };
}

export function inventoryProjection(): DocumentProjection {
  return evolveProjection<InventoryDoc>({
    name: 'inventory',
    collection: inventoryCollection(),
    handles: STOCK_EVENT_TYPES,
    documentIds: (event) => {
      const stock = asStockEvent(event);
      return stock ? [stock.data.sku] : [];
    },
    evolve: evolveInventory,
  });
}

/**
 * A rejected reservation still advances `version`, so it matches the stream revision a command
 * answered with; but like the write side it does not bring a stock item into existence.
 */
export function evolveInventory(
  doc: InventoryDoc | null,
  recorded: RecordedEvent,
): InventoryDoc | null {
  const event = asStockEvent(recorded);
  if (event === null || alreadyApplied(doc?.version, event.revision)) return doc;
  if (doc === null && event.type === 'StockReservationRejected') return null;
  const levels = applyStockEvent(doc ?? NO_STOCK, event);
  return {
    sku: event.data.sku,
    onHand: levels.onHand,
    reserved: levels.reserved,
    available: levels.available,
    version: event.revision,
    updatedAt: event.metadata.occurredAt,
  };
}
