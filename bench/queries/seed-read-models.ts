import path from 'node:path';
import { readModelsFile } from '../../shared-kernel/document-store/sqlite/open';
import { openSqliteDocumentStore } from '../../shared-kernel/document-store/sqlite/sqlite-document-store';
import type { RecordedEvent } from '../../shared-kernel/events/envelope';
import { openSqliteSearchIndex } from '../../shared-kernel/search-index/sqlite/sqlite-search-index';
import { commitEvents } from '../../projections/engine/commit';
import type { ProcessorSpec } from '../../projections/engine/processor';
import { searchProcessor } from '../../projections/processors/search-processor';
import { inventoryProjection } from '../../projections/read-models/inventory';
import { ordersProjection } from '../../projections/read-models/orders';
import {
  PRODUCT_SEARCH_INDEX,
  productSearchStateProjection,
  searchIndexOperation,
} from '../../projections/read-models/product-search';
import { productsProjection } from '../../projections/read-models/products';

export const uuid = (kind: number, i: number) =>
  `0190f5a2-0000-7000-8${kind}00-${String(i).padStart(12, '0')}`;
export const NOUNS = [
  'kettle',
  'mug',
  'lamp',
  'chair',
  'table',
  'shelf',
  'teapot',
  'rug',
  'clock',
  'vase',
];
export const MATERIALS = ['steel', 'oak', 'glass', 'ceramic', 'linen', 'copper', 'stone', 'cotton'];

/** The text of product i: each material is in 1/8 of names and of descriptions. */
export function productText(i: number): { name: string; description: string } {
  return {
    name: `${MATERIALS[i % 8]} ${NOUNS[i % 10]} model${i % 5000}`,
    description: `a ${MATERIALS[(i >> 3) % 8]} piece, no. ${i}`,
  };
}

function* domainEvents(products: number, orders: number): Generator<RecordedEvent> {
  let sequence = 0;
  const at = Date.parse('2025-01-01T00:00:00Z');
  const event = (
    streamId: string,
    revision: number,
    type: string,
    data: unknown,
  ): RecordedEvent => {
    sequence += 1;
    const time = new Date(at + sequence * 1000).toISOString();
    const metadata = {
      correlationId: 'bench',
      causationId: null,
      actor: 'bench',
      occurredAt: time,
      schemaVersion: 1,
    };
    return {
      eventId: uuid(9, sequence),
      type,
      data,
      metadata,
      streamId,
      revision,
      position: sequence.toString(16).padStart(16, '0'),
      recordedAt: time,
    };
  };
  const price = (i: number) => ({ amount: 100 + ((i * 7919) % 99_900), currency: 'EUR' });
  for (let i = 0; i < products; i++) {
    const data = {
      productId: uuid(1, i),
      sku: `SKU-${i}`,
      ...productText(i),
      category: `cat-${i % 20}`,
      price: price(i),
      attributes: {},
    };
    yield event(`product-${uuid(1, i)}`, 0, 'ProductCreated', data);
    if (i % 10 < 7)
      yield event(`stock-SKU-${i}`, 0, 'StockReceived', {
        sku: `SKU-${i}`,
        quantity: 50,
        reference: null,
      });
  }
  for (let j = 0; j < orders; j++) {
    const p = (j * 31) % products;
    const line = {
      productId: uuid(1, p),
      sku: `SKU-${p}`,
      quantity: 1,
      unitPrice: price(p),
      lineTotal: price(p),
    };
    const placedAt = new Date(at + j * 60_000).toISOString();
    const address = { name: 'A', line1: 'B', city: 'C', postalCode: 'D', country: 'GB' };
    yield event(`order-${uuid(2, j)}`, 0, 'OrderPlaced', {
      orderId: uuid(2, j),
      customerId: uuid(3, j % 2000),
      lines: [line],
      total: price(p),
      shippingAddress: address,
      placedAt,
    });
    yield event(`order-${uuid(2, j)}`, 1, 'OrderConfirmed', {
      orderId: uuid(2, j),
      lines: [{ productId: line.productId, sku: line.sku, quantity: 1 }],
      confirmedAt: placedAt,
    });
  }
}

/**
 * Folds a generated log of `products` products (70% in stock) and `orders` confirmed orders
 * through the real processors in batches of 2,000 (the audit trail is left out); returns the
 * number of events.
 */
export async function seedReadModels(
  dir: string,
  products: number,
  orders: number,
): Promise<number> {
  const documents = openSqliteDocumentStore({ file: readModelsFile(dir) });
  const search = openSqliteSearchIndex({
    file: path.join(dir, 'search.db'),
    declarations: [PRODUCT_SEARCH_INDEX],
  });
  await search.swapAlias('products', await search.createTarget('products'));
  const specs: ProcessorSpec[] = [
    ...[productsProjection(), ordersProjection(), inventoryProjection()].map((projection) => ({
      projection,
      rebuildable: true,
    })),
    searchProcessor({
      projection: productSearchStateProjection(),
      index: search,
      writeTo: 'products',
      toOperation: searchIndexOperation,
    }),
  ];
  for (const spec of specs)
    for (const c of spec.projection.collections) await documents.ensureCollection(c);
  const from = new Map<string, string | null>();
  let batch: RecordedEvent[] = [];
  let count = 0;
  const flush = async () => {
    const last = batch[batch.length - 1];
    if (!last) return;
    for (const spec of specs) {
      const events = batch.filter((e) => spec.projection.handles.has(e.type));
      await commitEvents(
        { spec, store: documents, upcast: (e) => e },
        { events, from: from.get(spec.projection.name) ?? null, to: last.position },
      );
      from.set(spec.projection.name, last.position);
    }
    count += batch.length;
    batch = [];
  };
  for (const event of domainEvents(products, orders)) {
    batch.push(event);
    if (batch.length === 2000) await flush();
  }
  await flush();
  await Promise.all([documents.close(), search.close()]);
  return count;
}
