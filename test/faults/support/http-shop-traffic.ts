import { newId } from '../../../shared-kernel/ids';
import type { PlannedOrder, ShopPlan, ShopProduct } from '../../support/shop-traffic';
import { postJson, type Answer } from './http';
import { address } from './shop-over-http';

/** What the customers and the pricing job got from the command API while faults went on. */
export interface TrafficOutcome {
  /** Orders the API acknowledged (201): the saga owes each exactly one outcome. */
  placed: PlannedOrder[];
  priceChanges: number;
  /**
   * Orders refused 409 `product-changed`: a price change landed between the placement's read
   * and its append (the order is rejected at once; the README's client orders again).
   */
  productChanged: number;
  /** Answers other than 2xx and those, by status (0: no answer at all). */
  failures: Record<number, number>;
}

/**
 * Keeps commands going over HTTP until stopped: customers placing orders on plentiful SKUs
 * (only those, so every one of them must be confirmed) and price changes, `clients` at a time.
 */
export function startHttpShopTraffic(commandUrl: string, plan: ShopPlan, clients = 4) {
  const plentiful = plan.products.filter((p) => p !== plan.hot && p !== plan.rare);
  const outcome: TrafficOutcome = { placed: [], priceChanges: 0, productChanged: 0, failures: {} };
  let running = true;
  const any = (): ShopProduct => plentiful[Math.floor(Math.random() * plentiful.length)]!;
  const fail = (status: number) => (outcome.failures[status] = (outcome.failures[status] ?? 0) + 1);

  const client = async () => {
    while (running) {
      if (Math.random() < 0.7) {
        const product = any();
        const order: PlannedOrder = {
          orderId: newId(),
          kind: 'plentiful',
          lines: [{ productId: product.productId, sku: product.sku, quantity: 1 }],
        };
        const body = {
          orderId: order.orderId,
          customerId: newId(),
          lines: [{ productId: product.productId, quantity: 1 }],
          shippingAddress: address,
        };
        const answer = await postJson(`${commandUrl}/orders`, body);
        if (answer.status === 201) outcome.placed.push(order);
        else if (problemType(answer) === 'product-changed') outcome.productChanged += 1;
        else fail(answer.status);
      } else {
        const price = { amount: 500 + Math.floor(Math.random() * 5000), currency: 'EUR' };
        const answer = await postJson(`${commandUrl}/products/${any().productId}/price`, { price });
        if (answer.status === 200) outcome.priceChanges += 1;
        else fail(answer.status);
      }
    }
  };
  const clientsDone = Promise.all(Array.from({ length: clients }, client));
  return {
    outcome,
    async stop(): Promise<TrafficOutcome> {
      running = false;
      await clientsDone;
      return outcome;
    },
  };
}

function problemType(answer: Answer): string | undefined {
  return answer.status === 409 ? (answer.body as { type?: string } | null)?.type : undefined;
}
