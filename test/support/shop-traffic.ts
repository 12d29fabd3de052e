import { newId } from '../../shared-kernel/ids';
import type { CommandRequest } from '../../write-side/command-handling/command-request';
import type { DispatchCommand } from '../../write-side/command-handling/dispatch';
import {
  createProductRequest,
  receiveStockRequest,
  testContext,
} from '../../write-side/command-handling/command-handler.fixtures';

/**
 * A small shop for specs that drive the saga or the mirror through the real command handler:
 * plenty of stock for most SKUs, one hot SKU that demand outruns, one rare SKU that some
 * orders ask more of than was ever received (those orders can only be rejected).
 */
export interface ShopProduct {
  productId: string;
  sku: string;
  stock: number;
}

export type OrderKind = 'plentiful' | 'hot' | 'impossible';

export interface PlannedOrder {
  orderId: string;
  kind: OrderKind;
  lines: { productId: string; sku: string; quantity: number }[];
}

export interface ShopPlan {
  products: ShopProduct[];
  hot: ShopProduct;
  rare: ShopProduct;
  orders: PlannedOrder[];
}

/** Deterministic for a given count; SKUs carry a run tag so plans never collide in one store. */
export function planShop(orderCount: number, hotStock = 40): ShopPlan {
  const tag = newId().slice(-8).toUpperCase();
  const product = (name: string, stock: number): ShopProduct => ({
    productId: newId(),
    sku: `${name}-${tag}`,
    stock,
  });
  const plenty = [1, 2, 3, 4].map((n) => product(`PLENTY${n}`, 100_000));
  const hot = product('HOT', hotStock);
  const rare = product('RARE', 5);
  const line = (p: ShopProduct, quantity: number) => ({
    productId: p.productId,
    sku: p.sku,
    quantity,
  });
  const orders: PlannedOrder[] = [];
  for (let i = 0; i < orderCount; i++) {
    const a = plenty[i % 4] as ShopProduct;
    const b = plenty[(i + 1) % 4] as ShopProduct;
    const slot = i % 10;
    // Hot orders also hold a plentiful line, so a rejection must release what it reserved.
    const [kind, lines]: [OrderKind, PlannedOrder['lines']] =
      slot < 6
        ? ['plentiful', [line(a, 1 + (i % 3)), ...(i % 2 ? [line(b, 2)] : [])]]
        : slot < 9
          ? ['hot', [line(a, 1), line(hot, 1 + (i % 3))]]
          : ['impossible', [line(a, 2), line(rare, rare.stock + 1)]];
    orders.push({ orderId: newId(), kind, lines });
  }
  return { products: [...plenty, hot, rare], hot, rare, orders };
}

/** Creates every product and receives its stock. */
export async function stockShop(dispatch: DispatchCommand, plan: ShopPlan): Promise<void> {
  for (const p of plan.products) {
    await dispatch(createProductRequest(p.productId, p.sku) as CommandRequest);
    await dispatch(receiveStockRequest(p.sku, p.stock) as CommandRequest);
  }
}

export function placeOrderRequest(order: PlannedOrder): CommandRequest<'order'> {
  return {
    aggregate: 'order',
    commandId: newId(),
    context: testContext({ actor: 'customer' }),
    command: {
      type: 'PlaceOrder',
      data: {
        orderId: order.orderId,
        customerId: `customer-${order.orderId.slice(-4)}`,
        lines: order.lines.map(({ productId, quantity }) => ({
          productId,
          quantity,
          product: null,
        })),
        shippingAddress: {
          name: 'Ada',
          line1: '1 Main St',
          city: 'Lyon',
          postalCode: '69001',
          country: 'FR',
        },
        at: new Date().toISOString(),
      },
    },
  };
}

/** Places the orders `inFlight` at a time, the way many customers would at once. */
export async function placeOrders(
  dispatch: DispatchCommand,
  orders: readonly PlannedOrder[],
  inFlight = 8,
): Promise<void> {
  let next = 0;
  const customer = async () => {
    while (next < orders.length) {
      const order = orders[next++] as PlannedOrder;
      await dispatch(placeOrderRequest(order) as CommandRequest);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, customer));
}
