import {
  assertNever,
  requireNonEmpty,
  requirePositiveInteger,
  type Decider,
} from '../../../shared-kernel/decider';
import { ConflictError, NotFoundError, ValidationError } from '../../../shared-kernel/errors';
import {
  emptyRecords,
  getRecord,
  recordEntries,
  removeRecord,
  setRecord,
  type KeyedRecords,
} from '../../../shared-kernel/keyed-records';
import { requireValidSku } from '../../catalog/sku/decider';
import type { StockItemCommand } from './commands';
import type { StockItemEvent } from './events';

/** What this item still holds for an order: units, or its refusal until the order settles. */
export type OrderClaim = { outcome: 'reserved'; quantity: number } | { outcome: 'rejected' };

export interface StockItemState {
  /** False until stock is first received; a rejected reservation alone does not create it. */
  exists: boolean;
  sku: string;
  onHand: number;
  reserved: number;
  /**
   * The orders this item still answers for: open reservations, and refusals until the saga
   * releases them once their order has settled. Nothing else: an order whose reservation was
   * committed or released is forgotten, so the state is bounded by the orders in flight, not
   * by history, and each event updates it in constant time (see the README's saga rule).
   */
  orders: KeyedRecords<OrderClaim>;
}

export function availableOf(state: StockItemState): number {
  return state.onHand - state.reserved;
}

/** Every order this item answers for, with its claim (for checks and tests, not the fold). */
export function orderClaims(state: StockItemState): Record<string, OrderClaim> {
  return Object.fromEntries(recordEntries(state.orders));
}

export const stockItemDecider: Decider<StockItemCommand, StockItemState, StockItemEvent> = {
  initialState: { exists: false, sku: '', onHand: 0, reserved: 0, orders: emptyRecords() },

  decide(command, state) {
    const { sku } = command.data;
    requireValidSku(sku);
    switch (command.type) {
      case 'ReceiveStock': {
        const { quantity, reference } = command.data;
        requirePositiveInteger('quantity', quantity);
        return [{ type: 'StockReceived', data: { sku, quantity, reference: reference ?? null } }];
      }
      case 'AdjustStock': {
        const { quantity, reason } = command.data;
        if (!Number.isSafeInteger(quantity) || quantity === 0) {
          throw new ValidationError([{ field: 'quantity', message: 'must be a non-zero integer' }]);
        }
        requireNonEmpty('reason', reason);
        if (!state.exists) throw new NotFoundError(`stock item ${sku} does not exist`);
        if (availableOf(state) + quantity < 0) {
          throw new ConflictError(
            'insufficient-stock',
            `adjusting ${sku} by ${quantity} would leave ${availableOf(state) + quantity} available`,
          );
        }
        return [{ type: 'StockAdjusted', data: { sku, quantity, reason } }];
      }
      case 'ReserveStock': {
        const { orderId, quantity, orderPlaced } = command.data;
        requireNonEmpty('orderId', orderId);
        requirePositiveInteger('quantity', quantity);
        if (getRecord(state.orders, orderId) !== undefined) return [];
        // Settled (or never placed): whatever this item answered it before is final.
        if (orderPlaced === false) return [];
        const available = availableOf(state);
        return quantity <= available
          ? [{ type: 'StockReserved', data: { sku, orderId, quantity } }]
          : [{ type: 'StockReservationRejected', data: { sku, orderId, quantity, available } }];
      }
      case 'ReleaseReservation': {
        const { orderId } = command.data;
        const claim = getRecord(state.orders, orderId);
        if (claim === undefined) return [];
        // Releasing a refusal holds nothing back; it lets this item forget the order.
        const quantity = claim.outcome === 'reserved' ? claim.quantity : 0;
        return [{ type: 'StockReservationReleased', data: { sku, orderId, quantity } }];
      }
      case 'CommitReservation': {
        const { orderId } = command.data;
        const claim = getRecord(state.orders, orderId);
        if (claim?.outcome !== 'reserved') return [];
        const data = { sku, orderId, quantity: claim.quantity };
        return [{ type: 'StockReservationCommitted', data }];
      }
      default:
        return assertNever(command, 'stock item command');
    }
  },

  evolve(state, event) {
    const { data } = event;
    switch (event.type) {
      case 'StockReceived':
        return { ...state, exists: true, sku: data.sku, onHand: state.onHand + data.quantity };
      case 'StockAdjusted':
        return { ...state, onHand: state.onHand + data.quantity };
      case 'StockReserved':
        return {
          ...state,
          sku: data.sku,
          reserved: state.reserved + data.quantity,
          orders: setRecord(state.orders, event.data.orderId, {
            outcome: 'reserved',
            quantity: data.quantity,
          }),
        };
      case 'StockReservationRejected':
        return {
          ...state,
          sku: data.sku,
          orders: setRecord(state.orders, event.data.orderId, { outcome: 'rejected' }),
        };
      case 'StockReservationReleased':
        return {
          ...state,
          reserved: state.reserved - data.quantity,
          orders: removeRecord(state.orders, event.data.orderId),
        };
      case 'StockReservationCommitted':
        return {
          ...state,
          onHand: state.onHand - data.quantity,
          reserved: state.reserved - data.quantity,
          orders: removeRecord(state.orders, event.data.orderId),
        };
      default:
        return assertNever(event, 'stock item event');
    }
  },
};
