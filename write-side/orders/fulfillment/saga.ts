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
 * confirm once all are reserved; on the first rejection release what is held and reject the
 * order; release on cancellation (and any reservation that arrives too late); commit on shipment.
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

function decideFor(state: FulfillmentState, event: SagaEvent & Consumed): Reaction {
  const { eventId } = event;
  const at = event.metadata.occurredAt;
  switch (event.type) {
    case 'OrderPlaced':
      return { state, commands: [] };
    case 'StockReserved': {
      const { sku } = event.data;
      if (state.lines[sku]?.progress !== 'pending') return { state, commands: [] };
      const next = withProgress(state, [sku], 'reserved');
      if (next.phase === 'rejected' || next.phase === 'cancelled') {
        // Arrived after the order was given up: hand the stock back.
        return releaseHeld(next, eventId);
      }
      const allReserved = Object.values(next.lines).every((line) => line.progress === 'reserved');
      if (!allReserved) return { state: next, commands: [] };
      const confirm = orderCommand(eventId, {
        type: 'ConfirmOrder',
        data: { orderId: state.orderId, at },
      });
      return { state: { ...next, phase: 'confirmed' }, commands: [confirm] };
    }
    case 'StockReservationRejected': {
      const { sku, quantity, available } = event.data;
      if (state.lines[sku]?.progress !== 'pending') return { state, commands: [] };
      const next = withProgress(state, [sku], 'rejected');
      if (next.phase !== 'reserving') return { state: next, commands: [] };
      const released = releaseHeld({ ...next, phase: 'rejected' }, eventId);
      const reason = `insufficient stock for ${sku}: ${quantity} requested, ${available} available`;
      const reject = orderCommand(eventId, {
        type: 'RejectOrder',
        data: { orderId: state.orderId, reason, failedSkus: [sku], at },
      });
      return { state: released.state, commands: [...released.commands, reject] };
    }
    case 'OrderCancelled':
      if (state.phase !== 'reserving' && state.phase !== 'confirmed') {
        return { state, commands: [] };
      }
      return releaseHeld({ ...state, phase: 'cancelled' }, eventId);
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

/** Releases every line whose stock the order holds. */
function releaseHeld(state: FulfillmentState, eventId: string): Reaction {
  const skus = skusIn(state, 'reserved');
  const commands: SagaCommand[] = skus.map((sku) =>
    stockCommand(eventId, { type: 'ReleaseReservation', data: { sku, orderId: state.orderId } }),
  );
  return { state: withProgress(state, skus, 'released'), commands };
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
