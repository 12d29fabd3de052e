import {
  assertNever,
  requireNonEmpty,
  requirePositiveInteger,
  type Decider,
} from '../../../shared-kernel/decider';
import { ConflictError, NotFoundError, ValidationError } from '../../../shared-kernel/errors';
import { requireValidSku } from '../../catalog/sku/decider';
import type { StockItemCommand } from './commands';
import type { StockItemEvent } from './events';

export type OrderReservationOutcome = 'reserved' | 'rejected' | 'released' | 'committed';

export interface StockItemState {
  /** False until stock is first received; a rejected reservation alone does not create it. */
  exists: boolean;
  sku: string;
  onHand: number;
  reserved: number;
  /** Open reservations only: quantity held per order. */
  reservations: Record<string, number>;
  /** What became of each order's reservation, so repeats are recognised. */
  handledOrders: Record<string, OrderReservationOutcome>;
}

export function availableOf(state: StockItemState): number {
  return state.onHand - state.reserved;
}

export const stockItemDecider: Decider<StockItemCommand, StockItemState, StockItemEvent> = {
  initialState: {
    exists: false,
    sku: '',
    onHand: 0,
    reserved: 0,
    reservations: {},
    handledOrders: {},
  },

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
        const { orderId, quantity } = command.data;
        requireNonEmpty('orderId', orderId);
        requirePositiveInteger('quantity', quantity);
        if (state.handledOrders[orderId] !== undefined) return [];
        const available = availableOf(state);
        return quantity <= available
          ? [{ type: 'StockReserved', data: { sku, orderId, quantity } }]
          : [{ type: 'StockReservationRejected', data: { sku, orderId, quantity, available } }];
      }
      case 'ReleaseReservation':
      case 'CommitReservation': {
        const { orderId } = command.data;
        const quantity = state.reservations[orderId];
        if (quantity === undefined) return [];
        const type =
          command.type === 'ReleaseReservation'
            ? 'StockReservationReleased'
            : 'StockReservationCommitted';
        return [{ type, data: { sku, orderId, quantity } }];
      }
      default:
        return assertNever(command, 'stock item command');
    }
  },

  evolve(state, event) {
    // Every stock event carries sku and quantity; narrowing on `type` gives the rest.
    const { data } = event;
    switch (event.type) {
      case 'StockReceived':
        return { ...state, exists: true, sku: data.sku, onHand: state.onHand + data.quantity };
      case 'StockAdjusted':
        return { ...state, onHand: state.onHand + event.data.quantity };
      case 'StockReserved':
        return {
          ...state,
          sku: data.sku,
          reserved: state.reserved + data.quantity,
          reservations: { ...state.reservations, [event.data.orderId]: data.quantity },
          handledOrders: { ...state.handledOrders, [event.data.orderId]: 'reserved' },
        };
      case 'StockReservationRejected':
        return {
          ...state,
          sku: data.sku,
          handledOrders: { ...state.handledOrders, [event.data.orderId]: 'rejected' },
        };
      case 'StockReservationReleased':
        return closeReservation(state, event.data.orderId, data.quantity, 0, 'released');
      case 'StockReservationCommitted':
        return closeReservation(
          state,
          event.data.orderId,
          data.quantity,
          data.quantity,
          'committed',
        );
      default:
        return assertNever(event, 'stock item event');
    }
  },
};

function closeReservation(
  state: StockItemState,
  orderId: string,
  quantity: number,
  shipped: number,
  outcome: OrderReservationOutcome,
): StockItemState {
  const { [orderId]: _closed, ...reservations } = state.reservations;
  return {
    ...state,
    onHand: state.onHand - shipped,
    reserved: state.reserved - quantity,
    reservations,
    handledOrders: { ...state.handledOrders, [orderId]: outcome },
  };
}
