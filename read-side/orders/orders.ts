import type { Condition, DocumentStore, Page } from '../../shared-kernel/document-store/port';
import type { OrderDoc } from '../../projections/read-models/orders';
import type { OrderStatus } from '../../write-side/orders/order/decider';

export const ORDERS = 'orders';
export const ORDER_STATUSES: readonly OrderStatus[] = [
  'placed',
  'confirmed',
  'rejected',
  'paid',
  'shipped',
  'cancelled',
];

export function orderById(documents: DocumentStore, orderId: string): Promise<OrderDoc | null> {
  return documents.get<OrderDoc>(ORDERS, orderId);
}

export interface CustomerOrdersFilter {
  status?: OrderStatus;
  cursor?: string;
  limit: number;
}

/** Newest first; orders placed in the same millisecond are kept in a stable order by id. */
export function customerOrders(
  documents: DocumentStore,
  customerId: string,
  filter: CustomerOrdersFilter,
): Promise<Page<OrderDoc>> {
  const where: Record<string, Condition> = { customerId };
  if (filter.status !== undefined) where.status = filter.status;
  return documents.find<OrderDoc>(ORDERS, {
    where,
    sort: [{ field: 'placedAt', direction: 'desc' }],
    cursor: filter.cursor ?? null,
    limit: filter.limit,
  });
}
