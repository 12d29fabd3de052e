import type { Decider } from '../../shared-kernel/decider';
import type { RecordedEvent } from '../../shared-kernel/events/envelope';
import { aggregates, type AggregateType } from '../../write-side/aggregates';
import type { StockItemEvent } from '../../write-side/inventory/stock-item/events';
import { NO_STOCK, applyStockEvent } from '../read-models/stock-levels';

/**
 * What the mirror keeps of one stream between events: exactly what the public message of its
 * next event needs (mapping.ts), and bounded whatever the history. A product or an order is
 * folded with the write side's own `evolve` (their states are bounded: the public message is
 * most of them). A stock item is folded to its counters: its decider state carries a table per
 * order that only grows, and the public level needs only on hand and reserved. SKU streams map
 * to nothing public, so nothing is kept for them.
 */
export interface MirrorFold {
  initial: unknown;
  evolve(state: unknown, event: RecordedEvent): unknown;
}

const deciderFold = (type: 'product' | 'order'): MirrorFold => {
  const decider = aggregates[type].decider as unknown as Decider<never, unknown, never>;
  return {
    initial: decider.initialState,
    evolve: (state, event) =>
      decider.evolve(state, { type: event.type, data: event.data } as never),
  };
};

const MIRROR_FOLDS: Record<AggregateType, MirrorFold | null> = {
  product: deciderFold('product'),
  order: deciderFold('order'),
  stock: {
    initial: NO_STOCK,
    evolve: (state, event) =>
      applyStockEvent(state as typeof NO_STOCK, event as unknown as StockItemEvent),
  },
  sku: null,
};

/** How the mirror folds a stream of this aggregate type; null: it keeps nothing for it. */
export function mirrorFoldOf(type: AggregateType): MirrorFold | null {
  return MIRROR_FOLDS[type];
}
