import { foldEvents } from '../../shared-kernel/decider';
import type { RecordedEvent } from '../../shared-kernel/events/envelope';
import type { EventStore } from '../../shared-kernel/event-store/port';
import { orderClaims, stockItemDecider } from '../../write-side/inventory/stock-item/decider';
import type { StockItemEvent } from '../../write-side/inventory/stock-item/events';
import type { PlannedOrder, ShopPlan } from './shop-traffic';

/**
 * What the fulfillment saga left in the log, judged from the log alone: each list names the
 * orders or SKUs that break a promise, so a failing spec says which and why.
 */
export interface FulfillmentReport {
  confirmed: string[];
  rejected: string[];
  /** Orders with no OrderConfirmed nor OrderRejected (yet). */
  undecided: string[];
  /** Orders with more than one outcome event: confirmed twice, or confirmed and rejected. */
  severalOutcomes: string[];
  /** A plentiful order rejected, or an order asking more than was ever received confirmed. */
  wrongOutcome: string[];
  /** `order@sku` lines with other than exactly one StockReserved | StockReservationRejected. */
  reservationRepeats: string[];
  /** SKUs whose reserved units or open reservations differ from the confirmed orders' lines. */
  stockMismatches: string[];
}

const OUTCOMES = new Set(['OrderConfirmed', 'OrderRejected']);
const RESERVATION_OUTCOMES = new Set(['StockReserved', 'StockReservationRejected']);

export async function readStream(store: EventStore, streamId: string): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for await (const event of store.readStream(streamId)) events.push(event);
  return events;
}

export async function checkFulfillment(
  store: EventStore,
  plan: ShopPlan,
  orders: readonly PlannedOrder[] = plan.orders,
): Promise<FulfillmentReport> {
  const report: FulfillmentReport = {
    confirmed: [],
    rejected: [],
    undecided: [],
    severalOutcomes: [],
    wrongOutcome: [],
    reservationRepeats: [],
    stockMismatches: [],
  };
  for (const order of orders) {
    const outcomes = (await readStream(store, `order-${order.orderId}`)).filter((e) =>
      OUTCOMES.has(e.type),
    );
    if (outcomes.length === 0) report.undecided.push(order.orderId);
    if (outcomes.length > 1) report.severalOutcomes.push(order.orderId);
    const confirmed = outcomes[0]?.type === 'OrderConfirmed';
    if (outcomes.length > 0) (confirmed ? report.confirmed : report.rejected).push(order.orderId);
    const wrong =
      outcomes.length > 0 &&
      ((order.kind === 'plentiful' && !confirmed) || (order.kind === 'impossible' && confirmed));
    if (wrong) report.wrongOutcome.push(`${order.orderId} (${order.kind})`);
  }
  const confirmedIds = new Set(report.confirmed);
  for (const product of plan.products) {
    const events = await readStream(store, `stock-${product.sku}`);
    const outcomesPerOrder = new Map<string, number>();
    for (const event of events) {
      if (!RESERVATION_OUTCOMES.has(event.type)) continue;
      const orderId = (event.data as { orderId: string }).orderId;
      outcomesPerOrder.set(orderId, (outcomesPerOrder.get(orderId) ?? 0) + 1);
    }
    const expected: Record<string, number> = {};
    for (const order of orders) {
      const line = order.lines.find((l) => l.sku === product.sku);
      if (!line) continue;
      const count = outcomesPerOrder.get(order.orderId) ?? 0;
      if (count !== 1) report.reservationRepeats.push(`${order.orderId}@${product.sku}: ${count}`);
      if (confirmedIds.has(order.orderId)) expected[order.orderId] = line.quantity;
    }
    const state = foldEvents(stockItemDecider, events as unknown as StockItemEvent[]);
    // Once every order settled, the item holds units for the confirmed orders and nothing else
    // (a refusal left unreleased would show here as a holder with no units).
    const holders = Object.fromEntries(
      Object.entries(orderClaims(state)).map(([id, claim]) => [
        id,
        claim.outcome === 'reserved' ? claim.quantity : 0,
      ]),
    );
    const expectedUnits = Object.values(expected).reduce((sum, q) => sum + q, 0);
    const sameHolders =
      JSON.stringify(sortedEntries(holders)) === JSON.stringify(sortedEntries(expected));
    if (state.reserved !== expectedUnits || !sameHolders || state.onHand !== product.stock) {
      report.stockMismatches.push(
        `${product.sku}: reserved ${state.reserved}, confirmed units ${expectedUnits}, ` +
          `${Object.keys(holders).length} orders held for ` +
          `${Object.keys(expected).length} confirmed orders, on hand ${state.onHand}/${product.stock}`,
      );
    }
  }
  return report;
}

function sortedEntries(record: Record<string, number>): [string, number][] {
  return Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Every order decided exactly once, the right way, and the stock agrees with the outcomes. */
export function fulfillmentProblems(report: FulfillmentReport): Record<string, string[]> {
  const { undecided, severalOutcomes, wrongOutcome, reservationRepeats, stockMismatches } = report;
  return { undecided, severalOutcomes, wrongOutcome, reservationRepeats, stockMismatches };
}
