import type { HttpOrder, HttpProduct } from './shop-over-http';
import { postJson, type Answer } from './http';

export type RaceKind = 'receipt' | 'adjustment' | 'pay' | 'ship' | 'cancel';

/** One command a racing client sent, with the unique reference its event would carry. */
export interface SentCommand {
  kind: RaceKind;
  /** The SKU or order id it targets. */
  target: string;
  reference: string;
  quantity: number;
  answer: Answer;
  /** 412s met before this answer (If-Match clients re-read and try again). */
  preconditionFailures: number;
}

export const isStock = (kind: RaceKind) => kind === 'receipt' || kind === 'adjustment';

/** The command's path and body; the reference goes where its event records it. */
export function requestFor(
  kind: RaceKind,
  reference: string,
  quantity: number,
  product: HttpProduct,
  order: HttpOrder,
): { path: string; body: object } {
  switch (kind) {
    case 'receipt':
      return { path: `/inventory/${product.sku}/receipts`, body: { quantity, reference } };
    case 'adjustment':
      return {
        path: `/inventory/${product.sku}/adjustments`,
        body: { quantity, reason: reference },
      };
    case 'pay': {
      const amount = { amount: order.product.price * order.quantity, currency: 'EUR' };
      return {
        path: `/orders/${order.orderId}/payments`,
        body: { amount, paymentReference: reference },
      };
    }
    case 'ship':
      return {
        path: `/orders/${order.orderId}/shipment`,
        body: { carrier: 'Racing Parcels', trackingNumber: reference },
      };
    case 'cancel':
      return { path: `/orders/${order.orderId}/cancellation`, body: { reason: reference } };
    default: {
      const never: never = kind;
      throw new Error(`unknown command kind ${String(never)}`);
    }
  }
}

/** Which kind a uniform draw in [0, 1) picks: mostly stock, some order lifecycle races. */
export function kindFor(draw: number, withOrders: boolean): RaceKind {
  if (!withOrders) return draw < 0.5 ? 'receipt' : 'adjustment';
  if (draw < 0.35) return 'receipt';
  if (draw < 0.7) return 'adjustment';
  if (draw < 0.82) return 'pay';
  if (draw < 0.96) return 'ship';
  return 'cancel';
}

export interface RaceOptions {
  commandUrl: string;
  products: readonly HttpProduct[];
  orders: readonly HttpOrder[];
  clients: number;
  commandsPerClient: number;
  withOrders: boolean;
  /** Given: each command is sent with `If-Match` at the revision this returns, retried on 412. */
  revisionOf?: (target: string) => Promise<number>;
  /** Tag of the phase, so references of two phases never collide. */
  phase: string;
}

const MAX_PRECONDITION_RETRIES = 50;

/** `clients` clients, each sending its commands one after another, all clients at once. */
export async function race(options: RaceOptions): Promise<SentCommand[]> {
  const client = async (c: number): Promise<SentCommand[]> => {
    const sent: SentCommand[] = [];
    for (let i = 0; i < options.commandsPerClient; i++) {
      const kind = kindFor(Math.random(), options.withOrders);
      const product = options.products[Math.floor(Math.random() * options.products.length)]!;
      const order = options.orders[Math.floor(Math.random() * options.orders.length)]!;
      const quantity =
        kind === 'adjustment'
          ? (Math.random() < 0.5 ? -1 : 1) * (1 + Math.floor(Math.random() * 5))
          : 1 + Math.floor(Math.random() * 9);
      const reference = `${options.phase}-c${c}-${i}`;
      const { path, body } = requestFor(kind, reference, quantity, product, order);
      const target = isStock(kind) ? product.sku : order.orderId;
      let failures = 0;
      let answer: Answer;
      while (true) {
        const headers: Record<string, string> = {};
        if (options.revisionOf) headers['if-match'] = `"${await options.revisionOf(target)}"`;
        answer = await postJson(`${options.commandUrl}${path}`, body, headers);
        if (answer.status !== 412 || failures >= MAX_PRECONDITION_RETRIES) break;
        failures += 1;
      }
      sent.push({ kind, target, reference, quantity, answer, preconditionFailures: failures });
    }
    return sent;
  };
  const perClient = await Promise.all(Array.from({ length: options.clients }, (_, c) => client(c)));
  return perClient.flat();
}
