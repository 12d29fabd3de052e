import { newId } from '../../../shared-kernel/ids';
import type { DocumentStore } from '../../../shared-kernel/document-store/port';
import type { InventoryDoc } from '../../../projections/read-models';
import type { FulfillmentReport } from '../../support/fulfillment-check';
import type { PlannedOrder, ShopPlan, ShopProduct } from '../../support/shop-traffic';

/**
 * A shop with a single product that every order wants: the bestseller of issue 10, whose stock
 * stream serves every order. Orders ask 1 or 2 units; the stock covers about two thirds of the
 * demand, so both outcomes occur and the last units go to whichever order the saga reserves first.
 */
export function planHotSkuShop(orderCount: number): ShopPlan {
  const tag = newId().slice(-8).toUpperCase();
  const demand = Math.floor(orderCount * 1.5);
  const hot: ShopProduct = {
    productId: newId(),
    sku: `BESTSELLER-${tag}`,
    stock: Math.floor(demand * 0.66),
  };
  const orders: PlannedOrder[] = Array.from({ length: orderCount }, (_, i) => ({
    orderId: newId(),
    kind: 'hot',
    lines: [{ productId: hot.productId, sku: hot.sku, quantity: 1 + (i % 2) }],
  }));
  // No rare product here: every order is of the hot kind, whose outcome depends on the order of
  // reservations, so only "one outcome each" and the stock balance are checked for it.
  return { products: [hot], hot, rare: hot, orders };
}

/** Units the confirmed orders hold of the hot SKU: what must be reserved (nothing is shipped). */
export function confirmedUnits(plan: ShopPlan, report: FulfillmentReport): number {
  const confirmed = new Set(report.confirmed);
  return plan.orders
    .filter((order) => confirmed.has(order.orderId))
    .reduce((sum, order) => sum + (order.lines[0]?.quantity ?? 0), 0);
}

/** The hot SKU as the inventory read model shows it. */
export async function inventoryOf(store: DocumentStore, sku: string): Promise<InventoryDoc | null> {
  return store.get<InventoryDoc>('inventory', sku);
}
