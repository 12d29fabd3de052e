import { assertNever } from '../../shared-kernel/decider';
import type { Recorded } from './domain-events';
import { NO_STOCK, applyStockEvent, type StockLevels } from './stock-levels';
import type { ProductEvent } from '../../write-side/catalog/product/events';
import type { StockItemEvent } from '../../write-side/inventory/stock-item/events';

export type MoneyDoc = { amount: number; currency: string };

/**
 * One product as the query API serves it, keyed by SKU because every product, stock and
 * order-line event carries the SKU. The catalog fields are null while only stock or order events
 * have been seen (a receipt can land between the SKU claim and the product's creation):
 * `productId: null` means "not a product yet", and ProductCreated fills them in.
 */
export type ProductDoc = {
  productId: string | null;
  sku: string;
  name: string | null;
  description: string | null;
  category: string | null;
  price: MoneyDoc | null;
  attributes: { [key: string]: string };
  status: 'active' | 'discontinued' | null;
  stock: StockLevels;
  /** Units in orders that were confirmed and not cancelled afterwards. */
  popularity: number;
  /** Revision of the product stream's last event folded in; null before ProductCreated. */
  version: number | null;
  /** Revision of the stock stream's last event folded in; null before any. */
  stockVersion: number | null;
  /**
   * `$all` position of the last order event folded into popularity. Order events come from many
   * streams, so no stream revision can tell a replay; they reach this document in log order.
   */
  popularityPosition: string | null;
  createdAt: string | null;
  updatedAt: string;
};

export function emptyProduct(sku: string, at: string): ProductDoc {
  return {
    productId: null,
    sku,
    name: null,
    description: null,
    category: null,
    price: null,
    attributes: {},
    status: null,
    stock: { ...NO_STOCK },
    popularity: 0,
    version: null,
    stockVersion: null,
    popularityPosition: null,
    createdAt: null,
    updatedAt: at,
  };
}

export function applyProductEvent(
  doc: ProductDoc | null,
  event: Recorded<ProductEvent>,
): ProductDoc | null {
  const at = event.metadata.occurredAt;
  const stamp = { version: event.revision, updatedAt: latest(doc?.updatedAt, at) };
  if (event.type === 'ProductCreated') {
    const { data } = event;
    return {
      ...(doc ?? emptyProduct(data.sku, at)),
      productId: data.productId,
      sku: data.sku,
      name: data.name,
      description: data.description,
      category: data.category,
      price: { amount: data.price.amount, currency: data.price.currency },
      attributes: { ...data.attributes },
      status: 'active',
      createdAt: at,
      ...stamp,
    };
  }
  // Changes to a product never created have nothing to change; the write side forbids them.
  if (doc === null || doc.productId === null) return doc;
  switch (event.type) {
    case 'ProductDetailsUpdated': {
      const { name, description, category, attributes } = event.data;
      return {
        ...doc,
        ...(name !== undefined && { name }),
        ...(description !== undefined && { description }),
        ...(category !== undefined && { category }),
        ...(attributes !== undefined && { attributes: { ...attributes } }),
        ...stamp,
      };
    }
    case 'ProductPriceChanged': {
      const { amount, currency } = event.data.price;
      return { ...doc, price: { amount, currency }, ...stamp };
    }
    case 'ProductDiscontinued':
      return { ...doc, status: 'discontinued', ...stamp };
    default:
      return assertNever(event, 'product event');
  }
}

export function applyStockToProduct(
  doc: ProductDoc | null,
  event: Recorded<StockItemEvent>,
): ProductDoc {
  const base = doc ?? emptyProduct(event.data.sku, event.metadata.occurredAt);
  return {
    ...base,
    stock: applyStockEvent(base.stock, event),
    stockVersion: event.revision,
    updatedAt: latest(base.updatedAt, event.metadata.occurredAt),
  };
}

/** `units` is signed: a cancellation after confirmation takes its units back. */
export function addPopularity(
  doc: ProductDoc | null,
  sku: string,
  units: number,
  event: { position: string; metadata: { occurredAt: string } },
): ProductDoc {
  const at = event.metadata.occurredAt;
  const base = doc ?? emptyProduct(sku, at);
  return {
    ...base,
    popularity: base.popularity + units,
    popularityPosition: event.position,
    updatedAt: latest(base.updatedAt, at),
  };
}

/**
 * Events of different streams touch disjoint fields of a product, so they commute; the last
 * update time is the one place where order would show, so it keeps the latest.
 */
function latest(current: string | undefined, at: string): string {
  return current !== undefined && current > at ? current : at;
}
