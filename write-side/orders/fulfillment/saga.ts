import type { SagaCommand } from './saga-command';
import { orderCommand, stockCommand } from './saga-command';
import {
  isConsumed,
  type Consumed,
  type FulfillmentState,
  type LineProgress,
  type Reaction,
  type SagaEvent,
} from './state';
import { assertNever } from '../../../shared-kernel/decider';

/**
 * The fulfillment saga's decisions, pure: given what it knows of one order and the next event
 * about it, the new knowledge and the commands to issue. Reserve every line on placement;
 * confirm once all are reserved; on the first refusal reject the order; once the order is seen
 * rejected or cancelled, release every line the stock answered (a refusal too, so the stock
 * item can forget the order), and any answer that arrives later; commit on shipment. Stock is
 * never released or committed before the order has settled: see `FulfillmentPhase`.
 */
export function react(state: FulfillmentState | null, event: SagaEvent): Reaction {
  if (!isConsumed(event)) return { state, commands: [] };
  if (state?.handledEventIds.includes(event.eventId)) return { state, commands: [] };
  if (event.type === 'OrderPlaced') {
    if (state !== null) return { state: handled(state, event), commands: [] };
    return place(event);
  }
  // Without a placement there is no order to fulfil (a stray or foreign event): nothing to do.
  if (state === null) return { state, commands: [] };
  const reaction = decideFor(state, event);
  return { state: handled(reaction.state ?? state, event), commands: reaction.commands };
}

type Placed = Extract<Consumed, { type: 'OrderPlaced' }>;

function place(event: SagaEvent & Placed): Reaction {
  const { orderId, lines } = event.data;
  const state: FulfillmentState = {
    orderId,
    phase: 'reserving',
    lines: Object.fromEntries(
      lines.map((line) => [line.sku, { quantity: line.quantity, progress: 'pending' }]),
    ),
    handledEventIds: [event.eventId],
  };
  const commands = lines.map((line) =>
    stockCommand(event.eventId, {
      type: 'ReserveStock',
      data: { sku: line.sku, orderId, quantity: line.quantity },
    }),
  );
  return { state, commands };
}

const settledWithoutShipping = (state: FulfillmentState) =>
  state.phase === 'rejected' || state.phase === 'cancelled';

function decideFor(state: FulfillmentState, event: SagaEvent & Consumed): Reaction {
  const { eventId } = event;
  const at = event.metadata.occurredAt;
  switch (event.type) {
    case 'OrderPlaced':
      return { state, commands: [] };
    case 'StockReserved':
    case 'StockReservationRejected': {
      const { sku } = event.data;
      if (state.lines[sku]?.progress !== 'pending') return { state, commands: [] };
      const refused = event.type === 'StockReservationRejected';
      const next = withProgress(state, [sku], refused ? 'rejected' : 'reserved');
      // The order settled before this answer came: hand it back at once.
      if (settledWithoutShipping(next)) return release(next, [sku], eventId);
      if (next.phase !== 'reserving') return { state: next, commands: [] };
      if (refused) {
        const { quantity, available } = event.data as { quantity: number; available: number };
        const reason = `insufficient stock for ${sku}: ${quantity} requested, ${available} available`;
        const reject = orderCommand(eventId, {
          type: 'RejectOrder',
          data: { orderId: state.orderId, reason, failedSkus: [sku], at },
        });
        return { state: { ...next, phase: 'rejecting' }, commands: [reject] };
      }
      const allReserved = Object.values(next.lines).every((line) => line.progress === 'reserved');
      if (!allReserved) return { state: next, commands: [] };
      const confirm = orderCommand(eventId, {
        type: 'ConfirmOrder',
        data: { orderId: state.orderId, at },
      });
      return { state: { ...next, phase: 'confirmed' }, commands: [confirm] };
    }
    case 'OrderRejected':
    case 'OrderCancelled': {
      const open = state.phase === 'reserving' || state.phase === 'confirmed';
      if (!open && state.phase !== 'rejecting') return { state, commands: [] };
      const phase = event.type === 'OrderRejected' ? 'rejected' : 'cancelled';
      return release({ ...state, phase }, answeredSkus(state), eventId);
    }
    case 'OrderShipped': {
      if (state.phase !== 'confirmed') return { state, commands: [] };
      const skus = skusIn(state, 'reserved');
      const commands = skus.map((sku) =>
        stockCommand(eventId, { type: 'CommitReservation', data: { sku, orderId: state.orderId } }),
      );
      const next = withProgress({ ...state, phase: 'shipped' }, skus, 'committed');
      return { state: next, commands };
    }
    default:
      return assertNever(event, 'fulfillment event');
  }
}

/** Releases the given lines: units held back to stock, refusals forgotten by the stock item. */
function release(state: FulfillmentState, skus: string[], eventId: string): Reaction {
  const commands: SagaCommand[] = skus.map((sku) =>
    stockCommand(eventId, { type: 'ReleaseReservation', data: { sku, orderId: state.orderId } }),
  );
  return { state: withProgress(state, skus, 'released'), commands };
}

/** The lines whose stock has answered (units held or a refusal the item still remembers). */
function answeredSkus(state: FulfillmentState): string[] {
  return Object.entries(state.lines)
    .filter(([, line]) => line.progress === 'reserved' || line.progress === 'rejected')
    .map(([sku]) => sku);
}

function skusIn(state: FulfillmentState, progress: LineProgress): string[] {
  return Object.entries(state.lines)
    .filter(([, line]) => line.progress === progress)
    .map(([sku]) => sku);
}

function withProgress(
  state: FulfillmentState,
  skus: string[],
  progress: LineProgress,
): FulfillmentState {
  const lines = { ...state.lines };
  for (const sku of skus) {
    const line = lines[sku];
    if (line) lines[sku] = { ...line, progress };
  }
  return { ...state, lines };
}

function handled(state: FulfillmentState, event: SagaEvent): FulfillmentState {
  return { ...state, handledEventIds: [...state.handledEventIds, event.eventId] };
}
