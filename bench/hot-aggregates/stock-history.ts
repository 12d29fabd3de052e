import type { NewEvent } from '../../shared-kernel/events/envelope';
import type { EventStore } from '../../shared-kernel/event-store/port';
import { newId } from '../../shared-kernel/ids';
import { streamIdOf } from '../../write-side/aggregates';

/** Events per append while filling: one transaction (one fsync) each. */
const BATCH = 2_000;

function newEvent(type: string, data: object, schemaVersion = 1): NewEvent {
  return {
    eventId: newId(),
    type,
    data,
    metadata: {
      correlationId: newId(),
      causationId: null,
      actor: 'bench',
      occurredAt: new Date().toISOString(),
      schemaVersion,
    },
  };
}

/**
 * The history of a SKU that sold a lot: one large receipt, then reserve/commit cycles of one
 * unit per order (an order's reservation and its shipment), `events` in all. Appended straight
 * to the store in large batches: this is setup, not a measured figure.
 */
export async function fillStockHistory(store: EventStore, sku: string, events: number) {
  const streamId = streamIdOf('stock', sku);
  let revision = -1;
  let batch: NewEvent[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    await store.append(streamId, batch, revision === -1 ? 'no_stream' : revision);
    revision += batch.length;
    batch = [];
  };
  batch.push(newEvent('StockReceived', { sku, quantity: 1_000_000_000, reference: 'bench' }));
  for (let n = 1; n < events; n += 1) {
    const orderId = `order-of-${Math.ceil(n / 2)}`;
    const data = { sku, orderId, quantity: 1 };
    batch.push(newEvent(n % 2 === 1 ? 'StockReserved' : 'StockReservationCommitted', data));
    if (batch.length >= BATCH) await flush();
  }
  await flush();
}

/** A product (and its SKU claim and stock) written straight to the store. */
export async function fillProduct(store: EventStore, productId: string, sku: string) {
  const price = { amount: 1000, currency: 'EUR' };
  const created = { productId, sku, name: 'Hot', description: '', category: 'bench', price };
  await store.append(
    streamIdOf('sku', sku),
    [newEvent('SkuReserved', { sku, productId })],
    'no_stream',
  );
  await store.append(
    streamIdOf('product', productId),
    [newEvent('ProductCreated', { ...created, attributes: {} }, 2)],
    'no_stream',
  );
  await fillStockHistory(store, sku, 1);
}
