import type { RecordedEvent } from '../../shared-kernel/events/envelope';
import { encodePosition } from '../../shared-kernel/event-store/sqlite/positions';
import { domainEventUpcasting } from '../../write-side/aggregates';

/**
 * The history of one busy aggregate, made up (no event store in the way) and repeatable:
 * a product whose price changed at every event, or a stock item that served an order (reserve,
 * then commit on shipment) with every pair of events, the bestseller of issue 10.
 */
export type HotAggregate = 'product' | 'stock';

export interface HotHistory {
  type: HotAggregate;
  id: string;
  streamId: string;
  count: number;
  /** A fresh pass over the events, oldest first. */
  events(): Iterable<RecordedEvent>;
  occurredAt(version: number): string;
}

const START = Date.parse('2026-01-01T00:00:00.000Z');
const PRODUCT_ID = '0190f5a2-0000-7000-8000-00000000beef';
const SKU = 'HOT-1';

export function hotHistory(type: HotAggregate, count: number): HotHistory {
  const id = type === 'product' ? PRODUCT_ID : SKU;
  const streamId = `${type}-${id}`;
  const upcasting = domainEventUpcasting();
  const occurredAt = (version: number) => new Date(START + version * 1000).toISOString();
  const eventAt = (revision: number, eventType: string, data: unknown): RecordedEvent => ({
    eventId: `0190f5a2-0000-7000-8000-${String(revision).padStart(12, '0')}`,
    type: eventType,
    data,
    metadata: {
      correlationId: `corr-${revision}`,
      causationId: null,
      actor: 'bench',
      occurredAt: occurredAt(revision),
      schemaVersion: upcasting.currentVersion(eventType),
    },
    streamId,
    revision,
    position: encodePosition(revision + 1),
    recordedAt: occurredAt(revision),
  });
  const product = (revision: number) =>
    revision === 0
      ? eventAt(0, 'ProductCreated', {
          productId: id,
          sku: SKU,
          name: 'Bestseller',
          description: 'The one everybody buys',
          category: 'kitchen',
          price: { amount: 1000, currency: 'EUR' },
          attributes: { colour: 'red' },
        })
      : eventAt(revision, 'ProductPriceChanged', {
          productId: id,
          sku: SKU,
          previousPrice: { amount: 1000 + revision - 1, currency: 'EUR' },
          price: { amount: 1000 + revision, currency: 'EUR' },
        });
  const stock = (revision: number) => {
    if (revision === 0) {
      return eventAt(0, 'StockReceived', { sku: SKU, quantity: count, reference: 'PO-1' });
    }
    const orderId = `0190f5a2-0000-7000-8000-${String(Math.ceil(revision / 2)).padStart(12, '0')}`;
    const type = revision % 2 === 1 ? 'StockReserved' : 'StockReservationCommitted';
    return eventAt(revision, type, { sku: SKU, orderId, quantity: 1 });
  };
  const make = type === 'product' ? product : stock;
  return {
    type,
    id,
    streamId,
    count,
    *events() {
      for (let revision = 0; revision < count; revision++) yield make(revision);
    },
    occurredAt,
  };
}
