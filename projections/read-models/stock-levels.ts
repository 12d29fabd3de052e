import { assertNever } from '../../shared-kernel/decider';
import type { StockItemEvent } from '../../write-side/inventory/stock-item/events';

/** What a buyer and the warehouse see of one SKU; available is derived, never stored apart. */
export type StockLevels = {
  onHand: number;
  reserved: number;
  available: number;
};

export const NO_STOCK: Readonly<StockLevels> = Object.freeze({
  onHand: 0,
  reserved: 0,
  available: 0,
});

/**
 * The same arithmetic as the stock item decider's evolve, kept to the three counters: a
 * projection cannot carry the decider's per-order reservation table without unbounded growth,
 * and the events already carry each quantity.
 */
export function applyStockEvent(levels: StockLevels, event: StockItemEvent): StockLevels {
  const { quantity } = event.data;
  switch (event.type) {
    case 'StockReceived':
    case 'StockAdjusted':
      return levelsOf(levels.onHand + quantity, levels.reserved);
    case 'StockReserved':
      return levelsOf(levels.onHand, levels.reserved + quantity);
    case 'StockReservationReleased':
      return levelsOf(levels.onHand, levels.reserved - quantity);
    case 'StockReservationCommitted':
      // Committed stock leaves the warehouse: it stops being both reserved and on hand.
      return levelsOf(levels.onHand - quantity, levels.reserved - quantity);
    case 'StockReservationRejected':
      return levels;
    default:
      return assertNever(event, 'stock item event');
  }
}

function levelsOf(onHand: number, reserved: number): StockLevels {
  return { onHand, reserved, available: onHand - reserved };
}
