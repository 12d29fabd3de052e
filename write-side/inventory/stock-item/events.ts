import type { DomainEvent } from '../../../shared-kernel/events/envelope';

interface ReservationData {
  sku: string;
  orderId: string;
  quantity: number;
}

export type StockItemEvent =
  | DomainEvent<'StockReceived', { sku: string; quantity: number; reference: string | null }>
  | DomainEvent<'StockAdjusted', { sku: string; quantity: number; reason: string }>
  | DomainEvent<'StockReserved', ReservationData>
  /** Recorded rather than thrown so the fulfillment saga can react to it. */
  | DomainEvent<'StockReservationRejected', ReservationData & { available: number }>
  | DomainEvent<'StockReservationReleased', ReservationData>
  | DomainEvent<'StockReservationCommitted', ReservationData>;

export type StockItemEventType = StockItemEvent['type'];

export const STOCK_ITEM_EVENT_SCHEMA_VERSIONS: Record<StockItemEventType, number> = {
  StockReceived: 1,
  StockAdjusted: 1,
  StockReserved: 1,
  StockReservationRejected: 1,
  StockReservationReleased: 1,
  StockReservationCommitted: 1,
};
