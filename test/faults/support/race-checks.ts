import { foldEvents } from '../../../shared-kernel/decider';
import type { EventStore } from '../../../shared-kernel/event-store/port';
import { stockItemDecider } from '../../../write-side/inventory/stock-item/decider';
import type { StockItemEvent } from '../../../write-side/inventory/stock-item/events';
import type { SentCommand } from './racing-clients';
import type { HttpOrder, HttpProduct } from './shop-over-http';
import { ledgerProblems, referencesInStream } from './stream-facts';

/** Per aggregate, what the log says against what the clients were told; empty lists are good. */
export interface RaceFindings {
  /** `sku: reference xN` / `order: ...`: one acknowledged command stored more than once. */
  appliedTwice: string[];
  /** Acknowledged but not in the stream: a lost update. */
  lost: string[];
  /** In the stream but the client was told it failed. */
  unacknowledged: string[];
  /** Stock or order state that is not what the acknowledged commands add up to. */
  stateMismatches: string[];
}

const acked = (sent: readonly SentCommand[], target: string, kinds: string[], phase: string) =>
  sent
    .filter((s) => s.target === target && kinds.includes(s.kind) && s.answer.status === 200)
    .filter((s) => s.reference.startsWith(`${phase}-`));

const ofPhase = (stored: Map<string, number>, phase: string) =>
  new Map([...stored].filter(([ref]) => ref.startsWith(`${phase}-`)));

/** The status the order must end in, given which of its commands were acknowledged. */
export function expectedOrderStatus(sent: readonly SentCommand[], order: HttpOrder, phase: string) {
  const has = (kind: string) => acked(sent, order.orderId, [kind], phase).length > 0;
  return has('cancel') ? 'cancelled' : has('ship') ? 'shipped' : has('pay') ? 'paid' : 'confirmed';
}

export async function checkRace(
  store: EventStore,
  sent: readonly SentCommand[],
  products: readonly HttpProduct[],
  orders: readonly HttpOrder[],
  phase: string,
): Promise<RaceFindings & { expectedOnHand: Map<string, number> }> {
  const findings: RaceFindings = {
    appliedTwice: [],
    lost: [],
    unacknowledged: [],
    stateMismatches: [],
  };
  const note = (where: string, problems: ReturnType<typeof ledgerProblems>) => {
    findings.appliedTwice.push(...problems.twice.map((p) => `${where}: ${p}`));
    findings.lost.push(...problems.lost.map((p) => `${where}: ${p}`));
    findings.unacknowledged.push(...problems.unacknowledged.map((p) => `${where}: ${p}`));
  };
  for (const order of orders) {
    const { references } = await referencesInStream(store, `order-${order.orderId}`, {
      PaymentRecorded: (d) => `pay:${String(d.paymentReference)}`,
      OrderShipped: (d) => `ship:${String(d.trackingNumber)}`,
      OrderCancelled: (d) => `cancel:${String(d.reason)}`,
    });
    const kinds = (kind: string) =>
      new Map(
        [...references]
          .filter(([r]) => r.startsWith(`${kind}:`))
          .map(([r, n]) => [r.slice(kind.length + 1), n]),
      );
    for (const kind of ['pay', 'ship']) {
      const refs = acked(sent, order.orderId, [kind], phase).map((s) => s.reference);
      note(`order ${order.orderId} ${kind}`, ledgerProblems(refs, ofPhase(kinds(kind), phase)));
    }
    // A cancel of a cancelled order is acknowledged and changes nothing: one event, from one of them.
    const cancels = acked(sent, order.orderId, ['cancel'], phase).map((s) => s.reference);
    const cancelled = ofPhase(kinds('cancel'), phase);
    const cancelNote = ledgerProblems(cancels, cancelled);
    note(`order ${order.orderId} cancel`, { ...cancelNote, lost: [] });
    if (cancels.length > 0 !== (cancelled.size === 1)) {
      findings.lost.push(
        `order ${order.orderId}: ${cancels.length} cancels acknowledged, ${cancelled.size} stored`,
      );
    }
  }
  const expectedOnHand = new Map<string, number>();
  for (const product of products) {
    const { events, references } = await referencesInStream(store, `stock-${product.sku}`, {
      StockReceived: (d) => d.reference,
      StockAdjusted: (d) => d.reason,
    });
    const mine = acked(sent, product.sku, ['receipt', 'adjustment'], phase);
    note(
      `stock ${product.sku}`,
      ledgerProblems(
        mine.map((s) => s.reference),
        ofPhase(references, phase),
      ),
    );
    const state = foldEvents(stockItemDecider, events as unknown as StockItemEvent[]);
    // On hand only adds up (receipts, adjustments, the saga's commits): whatever else moved it,
    // this phase's commands must add exactly what was acknowledged on top.
    const before = events.filter((e) => {
      const data = e.data as { reference?: unknown; reason?: unknown };
      return !String(data.reference ?? data.reason ?? '').startsWith(`${phase}-`);
    });
    const base = foldEvents(stockItemDecider, before as unknown as StockItemEvent[]).onHand;
    const expected = base + mine.reduce((sum, s) => sum + s.quantity, 0);
    expectedOnHand.set(product.sku, expected);
    if (state.onHand !== expected) {
      findings.stateMismatches.push(
        `stock ${product.sku}: on hand ${state.onHand}, acknowledged sum ${expected}`,
      );
    }
  }
  return { ...findings, expectedOnHand };
}
