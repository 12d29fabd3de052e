import { expect } from 'chai';
import { ConflictError, NotFoundError, ValidationError } from '../../../shared-kernel/errors';
import { deciderSpec } from '../../../shared-kernel/decider.fixtures';
import type { StockItemCommand } from './commands';
import { availableOf, orderClaims, stockItemDecider } from './decider';
import type { StockItemEvent } from './events';

const given = deciderSpec(stockItemDecider);
const sku = 'MUG-001';
const received = (quantity: number): StockItemEvent => ({
  type: 'StockReceived',
  data: { sku, quantity, reference: null },
});
const reserved = (orderId: string, quantity: number): StockItemEvent => ({
  type: 'StockReserved',
  data: { sku, orderId, quantity },
});
const reserve = (orderId: string, quantity: number, orderPlaced = true): StockItemCommand => ({
  type: 'ReserveStock',
  data: { sku, orderId, quantity, orderPlaced },
});
const release = (orderId: string): StockItemCommand => ({
  type: 'ReleaseReservation',
  data: { sku, orderId },
});
const commit = (orderId: string): StockItemCommand => ({
  type: 'CommitReservation',
  data: { sku, orderId },
});
const adjust = (quantity: number, reason = 'recount'): StockItemCommand => ({
  type: 'AdjustStock',
  data: { sku, quantity, reason },
});

describe('Stock item decider', () => {
  describe('ReceiveStock', () => {
    it('creates the stock item on first receipt and adds to on hand after', () => {
      const state = given([])
        .when({ type: 'ReceiveStock', data: { sku, quantity: 5, reference: 'PO-1' } })
        .then([{ type: 'StockReceived', data: { sku, quantity: 5, reference: 'PO-1' } }]);
      expect(state).to.include({ exists: true, sku, onHand: 5, reserved: 0 });
      const more = given([received(5)])
        .when({ type: 'ReceiveStock', data: { sku, quantity: 2 } })
        .then([received(2)]);
      expect(more.onHand).to.equal(7);
    });
    it('refuses zero, negative and fractional quantities, and a malformed SKU', () => {
      for (const quantity of [0, -1, 1.5]) {
        given([])
          .when({ type: 'ReceiveStock', data: { sku, quantity } })
          .thenThrows(ValidationError, 'quantity');
      }
      given([])
        .when({ type: 'ReceiveStock', data: { sku: 'a b', quantity: 1 } })
        .thenThrows(ValidationError, 'sku');
    });
  });

  describe('AdjustStock', () => {
    it('adjusts up and down within what is available', () => {
      given([received(5)])
        .when(adjust(3))
        .then([{ type: 'StockAdjusted', data: { sku, quantity: 3, reason: 'recount' } }]);
      const state = given([received(5), reserved('o1', 2)])
        .when(adjust(-3, 'damaged'))
        .then([{ type: 'StockAdjusted', data: { sku, quantity: -3, reason: 'damaged' } }]);
      expect(state).to.include({ onHand: 2, reserved: 2 });
      expect(availableOf(state)).to.equal(0);
    });
    it('refuses to take available below zero (reserved stock counts as taken)', () => {
      given([received(5), reserved('o1', 2)])
        .when(adjust(-4))
        .thenThrows(ConflictError, 'insufficient-stock');
    });
    it('refuses a missing stock item, a zero or fractional quantity, and an empty reason', () => {
      given([]).when(adjust(1)).thenThrows(NotFoundError, 'MUG-001');
      given([received(1)])
        .when(adjust(0))
        .thenThrows(ValidationError, 'quantity');
      given([received(1)])
        .when(adjust(0.5))
        .thenThrows(ValidationError, 'quantity');
      given([received(1)])
        .when(adjust(1, ''))
        .thenThrows(ValidationError, 'reason');
    });
  });

  describe('ReserveStock', () => {
    it('reserves what is available', () => {
      const state = given([received(5)])
        .when(reserve('o1', 5))
        .then([reserved('o1', 5)]);
      expect(state).to.include({ reserved: 5 });
      expect(orderClaims(state)).to.deep.equal({ o1: { outcome: 'reserved', quantity: 5 } });
    });
    it('records a rejection, not an error, when stock is short or the item was never received', () => {
      given([received(5), reserved('o1', 4)])
        .when(reserve('o2', 2))
        .then([
          {
            type: 'StockReservationRejected',
            data: { sku, orderId: 'o2', quantity: 2, available: 1 },
          },
        ]);
      const state = given([])
        .when(reserve('o2', 1))
        .then([
          {
            type: 'StockReservationRejected',
            data: { sku, orderId: 'o2', quantity: 1, available: 0 },
          },
        ]);
      expect(state).to.include({ exists: false, reserved: 0 });
    });
    it('reserves nothing for an order that is no longer placed (settled: its answer is final)', () => {
      given([received(5)])
        .when(reserve('o1', 1, false))
        .then([]);
    });
    it('records nothing for an order it still answers for, whatever the answer was', () => {
      given([received(5), reserved('o1', 2)])
        .when(reserve('o1', 2))
        .then([]);
      const rejected: StockItemEvent = {
        type: 'StockReservationRejected',
        data: { sku, orderId: 'o1', quantity: 9, available: 5 },
      };
      given([received(5), rejected])
        .when(reserve('o1', 1))
        .then([]);
      const released: StockItemEvent = {
        type: 'StockReservationReleased',
        data: { sku, orderId: 'o1', quantity: 2 },
      };
      // Released only once the order settled, so the handler says it is no longer placed.
      given([received(5), reserved('o1', 2), released])
        .when(reserve('o1', 2, false))
        .then([]);
    });
    it('refuses a non-positive quantity and an empty order id', () => {
      given([received(5)])
        .when(reserve('o1', 0))
        .thenThrows(ValidationError, 'quantity');
      given([received(5)])
        .when(reserve('', 1))
        .thenThrows(ValidationError, 'orderId');
    });
  });

  describe('ReleaseReservation', () => {
    it("releases the order's reservation", () => {
      const state = given([received(5), reserved('o1', 2), reserved('o2', 1)])
        .when(release('o1'))
        .then([{ type: 'StockReservationReleased', data: { sku, orderId: 'o1', quantity: 2 } }]);
      expect(state).to.include({ onHand: 5, reserved: 1 });
      expect(orderClaims(state)).to.deep.equal({ o2: { outcome: 'reserved', quantity: 1 } });
    });
    it('releasing a refusal holds nothing back and forgets the order', () => {
      const rejected: StockItemEvent = {
        type: 'StockReservationRejected',
        data: { sku, orderId: 'o1', quantity: 9, available: 5 },
      };
      const state = given([received(5), rejected])
        .when(release('o1'))
        .then([{ type: 'StockReservationReleased', data: { sku, orderId: 'o1', quantity: 0 } }]);
      expect(state).to.include({ onHand: 5, reserved: 0 });
      expect(orderClaims(state)).to.deep.equal({});
      given([received(5), rejected])
        .when(commit('o1'))
        .then([]);
    });
    it('records nothing without a reservation, or when repeated', () => {
      given([received(5)])
        .when(release('o1'))
        .then([]);
      given([]).when(release('o1')).then([]);
      given([
        received(5),
        reserved('o1', 2),
        { type: 'StockReservationReleased', data: { sku, orderId: 'o1', quantity: 2 } },
      ])
        .when(release('o1'))
        .then([]);
    });
  });

  describe('CommitReservation', () => {
    it('ships the reserved units: on hand and reserved both drop', () => {
      const state = given([received(5), reserved('o1', 2)])
        .when(commit('o1'))
        .then([{ type: 'StockReservationCommitted', data: { sku, orderId: 'o1', quantity: 2 } }]);
      expect(state).to.include({ onHand: 3, reserved: 0 });
      expect(orderClaims(state)).to.deep.equal({});
    });
    it('records nothing without a reservation, or when repeated', () => {
      given([received(5)])
        .when(commit('o1'))
        .then([]);
      given([
        received(5),
        reserved('o1', 2),
        { type: 'StockReservationCommitted', data: { sku, orderId: 'o1', quantity: 2 } },
      ])
        .when(commit('o1'))
        .then([]);
    });
  });
});
