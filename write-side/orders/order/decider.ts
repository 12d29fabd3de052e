import {
  assertNever,
  requireIsoTime,
  requireNonEmpty,
  type Decider,
} from '../../../shared-kernel/decider';
import { ConflictError, NotFoundError } from '../../../shared-kernel/errors';
import { moneyEquals } from '../../../shared-kernel/money';
import type { OrderCommand } from './commands';
import type { OrderEvent, OrderedUnits, OrderPlacedData } from './events';
import { priceOrder } from './order-pricing';

export type OrderStatus = 'placed' | 'confirmed' | 'paid' | 'shipped' | 'rejected' | 'cancelled';

export type OrderState =
  | { status: 'absent' }
  | ({ status: OrderStatus; paymentReference: string | null; trackingNumber: string | null } & Omit<
      OrderPlacedData,
      'placedAt'
    >);
export type ExistingOrder = Exclude<OrderState, { status: 'absent' }>;

/** The only status changes an order may make. */
export const ORDER_TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  placed: ['confirmed', 'rejected', 'cancelled'],
  confirmed: ['paid', 'cancelled'],
  paid: ['shipped', 'cancelled'],
  shipped: [],
  rejected: [],
  cancelled: [],
};

export const orderDecider: Decider<OrderCommand, OrderState, OrderEvent> = {
  initialState: { status: 'absent' },

  decide(command, state) {
    const { orderId, at } = command.data;
    requireNonEmpty('orderId', orderId);
    requireIsoTime('at', at);
    if (command.type === 'PlaceOrder') {
      if (state.status !== 'absent') {
        throw new ConflictError('order-already-exists', `order ${orderId} exists`);
      }
      return [{ type: 'OrderPlaced', data: priceOrder(command.data) }];
    }
    if (state.status === 'absent') throw new NotFoundError(`order ${orderId} does not exist`);
    switch (command.type) {
      case 'ConfirmOrder':
        // Once confirmed, a repeat (the saga redelivering) is satisfied whatever came after.
        if (['confirmed', 'paid', 'shipped'].includes(state.status)) return [];
        requirePlaced(state, 'confirm');
        return [
          { type: 'OrderConfirmed', data: { orderId, lines: unitsOf(state), confirmedAt: at } },
        ];
      case 'RejectOrder': {
        if (state.status === 'rejected') return [];
        requirePlaced(state, 'reject');
        const { reason, failedSkus } = command.data;
        requireNonEmpty('reason', reason);
        const data = { orderId, reason, failedSkus: [...failedSkus], rejectedAt: at };
        return [{ type: 'OrderRejected', data }];
      }
      case 'RecordPayment':
        return recordPayment(state, command.data);
      case 'ShipOrder': {
        const { carrier, trackingNumber } = command.data;
        if (state.status === 'shipped') {
          if (state.trackingNumber === trackingNumber) return [];
          throw new ConflictError('order-already-shipped', `order ${orderId} is already shipped`);
        }
        if (state.status !== 'paid') {
          throw new ConflictError(
            'order-not-paid',
            `order ${orderId} is ${state.status}, not paid`,
          );
        }
        requireNonEmpty('carrier', carrier);
        requireNonEmpty('trackingNumber', trackingNumber);
        const data = { orderId, carrier, trackingNumber, shippedAt: at };
        return [{ type: 'OrderShipped', data }];
      }
      case 'CancelOrder':
        return cancelOrder(state, command.data);
      default:
        return assertNever(command, 'order command');
    }
  },

  evolve(state, event) {
    if (event.type === 'OrderPlaced') {
      const { placedAt: _at, ...placed } = event.data;
      return { status: 'placed', paymentReference: null, trackingNumber: null, ...placed };
    }
    if (state.status === 'absent') return state;
    switch (event.type) {
      case 'OrderConfirmed':
        return { ...state, status: 'confirmed' };
      case 'OrderRejected':
        return { ...state, status: 'rejected' };
      case 'PaymentRecorded':
        return { ...state, status: 'paid', paymentReference: event.data.paymentReference };
      case 'OrderShipped':
        return { ...state, status: 'shipped', trackingNumber: event.data.trackingNumber };
      case 'OrderCancelled':
        return { ...state, status: 'cancelled' };
      default:
        return assertNever(event, 'order event');
    }
  },
};

function unitsOf(state: ExistingOrder): OrderedUnits[] {
  return state.lines.map(({ productId, sku, quantity }) => ({ productId, sku, quantity }));
}

function requirePlaced(state: ExistingOrder, action: string): void {
  if (state.status !== 'placed') {
    throw new ConflictError(
      'order-not-placed',
      `cannot ${action} order ${state.orderId}: it is ${state.status}`,
    );
  }
}

type PaymentData = Extract<OrderCommand, { type: 'RecordPayment' }>['data'];

function recordPayment(state: ExistingOrder, payment: PaymentData): OrderEvent[] {
  const { orderId, amount, paymentReference, at } = payment;
  if (state.status === 'paid' || state.status === 'shipped') {
    // The same payment recorded again is a retry; a second, different payment is a mistake.
    if (state.paymentReference === paymentReference) return [];
    throw new ConflictError('order-already-paid', `order ${orderId} is already paid`);
  }
  if (state.status !== 'confirmed') {
    throw new ConflictError(
      'order-not-confirmed',
      `order ${orderId} is ${state.status}; only a confirmed order can be paid`,
    );
  }
  requireNonEmpty('paymentReference', paymentReference);
  if (!moneyEquals(amount, state.total)) {
    throw new ConflictError(
      'payment-amount-mismatch',
      `payment of ${amount.amount} ${amount.currency} does not match the total of ` +
        `${state.total.amount} ${state.total.currency}`,
    );
  }
  return [{ type: 'PaymentRecorded', data: { orderId, amount, paymentReference, paidAt: at } }];
}

type CancelData = Extract<OrderCommand, { type: 'CancelOrder' }>['data'];

function cancelOrder(state: ExistingOrder, { orderId, reason, at }: CancelData): OrderEvent[] {
  switch (state.status) {
    case 'placed':
    case 'confirmed':
    case 'paid':
      requireNonEmpty('reason', reason);
      return [
        {
          type: 'OrderCancelled',
          data: {
            orderId,
            reason,
            lines: unitsOf(state),
            previousStatus: state.status,
            cancelledAt: at,
          },
        },
      ];
    case 'cancelled':
      return [];
    case 'shipped':
      throw new ConflictError('order-already-shipped', `order ${orderId} has shipped`);
    case 'rejected':
      throw new ConflictError('order-not-cancellable', `order ${orderId} was rejected`);
    default:
      return assertNever(state.status, 'order status');
  }
}
