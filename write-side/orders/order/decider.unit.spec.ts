import { ConflictError, NotFoundError, ValidationError } from '../../../shared-kernel/errors';
import { deciderSpec } from '../../../shared-kernel/decider.fixtures';
import { expect } from 'chai';
import type { OrderCommand } from './commands';
import { orderDecider } from './decider';
import {
  at,
  cancel,
  cancelled,
  cancelledFrom,
  confirm,
  confirmed,
  eur,
  orderId,
  paid,
  pay,
  placed,
  reject,
  rejected,
  ship,
  shipped,
} from './decider.fixtures';

const given = deciderSpec(orderDecider);

describe('Order decider: lifecycle', () => {
  it('refuses every command on a missing order', () => {
    for (const command of [confirm, reject, pay(eur(4500)), ship(), cancel]) {
      given([]).when(command).thenThrows(NotFoundError, orderId);
    }
  });

  describe('ConfirmOrder', () => {
    it('confirms a placed order', () => {
      expect(given([placed]).when(confirm).then([confirmed]).status).to.equal('confirmed');
    });
    it('records nothing once confirmed, even after payment or shipment (saga repeats)', () => {
      given([placed, confirmed]).when(confirm).then([]);
      given([placed, confirmed, paid]).when(confirm).then([]);
      given([placed, confirmed, paid, shipped]).when(confirm).then([]);
    });
    it('refuses a rejected or cancelled order', () => {
      given([placed, rejected]).when(confirm).thenThrows(ConflictError, 'order-not-placed');
      given([placed, cancelled]).when(confirm).thenThrows(ConflictError, 'order-not-placed');
    });
  });

  describe('RejectOrder', () => {
    it('rejects a placed order with the failed SKUs', () => {
      expect(given([placed]).when(reject).then([rejected]).status).to.equal('rejected');
    });
    it('refuses an empty reason', () => {
      const noReason: OrderCommand = {
        type: 'RejectOrder',
        data: { orderId, reason: ' ', failedSkus: [], at },
      };
      given([placed]).when(noReason).thenThrows(ValidationError, 'reason');
    });
    it('records nothing when already rejected', () => {
      given([placed, rejected]).when(reject).then([]);
    });
    it('refuses an order that is no longer placed', () => {
      given([placed, confirmed]).when(reject).thenThrows(ConflictError, 'order-not-placed');
      given([placed, cancelled]).when(reject).thenThrows(ConflictError, 'order-not-placed');
    });
  });

  describe('RecordPayment', () => {
    it('records a payment of exactly the total on a confirmed order', () => {
      expect(
        given([placed, confirmed])
          .when(pay(eur(4500)))
          .then([paid]).status,
      ).to.equal('paid');
    });
    it('refuses payment before confirmation, or on a rejected or cancelled order', () => {
      given([placed])
        .when(pay(eur(4500)))
        .thenThrows(ConflictError, 'order-not-confirmed');
      given([placed, rejected])
        .when(pay(eur(4500)))
        .thenThrows(ConflictError, 'order-not-confirmed');
      given([placed, confirmed, cancelled])
        .when(pay(eur(4500)))
        .thenThrows(ConflictError, 'order-not-confirmed');
    });
    it('refuses an amount or currency other than the total', () => {
      given([placed, confirmed])
        .when(pay(eur(4499)))
        .thenThrows(ConflictError, 'payment-amount-mismatch');
      given([placed, confirmed])
        .when(pay({ amount: 4500, currency: 'USD' }))
        .thenThrows(ConflictError, 'payment-amount-mismatch');
    });
    it('records nothing for the same payment again; refuses a second, different one', () => {
      given([placed, confirmed, paid])
        .when(pay(eur(4500)))
        .then([]);
      given([placed, confirmed, paid])
        .when(pay(eur(4500), 'pay-2'))
        .thenThrows(ConflictError, 'order-already-paid');
    });
    it('refuses an empty payment reference', () => {
      given([placed, confirmed])
        .when(pay(eur(4500), ' '))
        .thenThrows(ValidationError, 'paymentReference');
    });
  });

  describe('ShipOrder', () => {
    it('ships a paid order', () => {
      expect(given([placed, confirmed, paid]).when(ship()).then([shipped]).status).to.equal(
        'shipped',
      );
    });
    it('refuses an unpaid order', () => {
      given([placed]).when(ship()).thenThrows(ConflictError, 'order-not-paid');
      given([placed, confirmed]).when(ship()).thenThrows(ConflictError, 'order-not-paid');
      given([placed, confirmed, cancelled])
        .when(ship())
        .thenThrows(ConflictError, 'order-not-paid');
    });
    it('records nothing for the same shipment again; refuses a different one', () => {
      given([placed, confirmed, paid, shipped]).when(ship()).then([]);
      given([placed, confirmed, paid, shipped])
        .when(ship('T2'))
        .thenThrows(ConflictError, 'order-already-shipped');
    });
    it('refuses an empty carrier', () => {
      const noCarrier = {
        type: 'ShipOrder',
        data: { orderId, carrier: '', trackingNumber: 'T1', at },
      } as const;
      given([placed, confirmed, paid]).when(noCarrier).thenThrows(ValidationError, 'carrier');
    });
  });

  describe('CancelOrder', () => {
    it('cancels a placed, confirmed or paid order, saying which it was', () => {
      const cases = [
        [[placed], 'placed'],
        [[placed, confirmed], 'confirmed'],
        [[placed, confirmed, paid], 'paid'],
      ] as const;
      for (const [history, from] of cases) {
        const state = given([...history])
          .when(cancel)
          .then([cancelledFrom(from)]);
        expect(state.status).to.equal('cancelled');
      }
    });
    it('refuses a shipped order and a rejected one', () => {
      given([placed, confirmed, paid, shipped])
        .when(cancel)
        .thenThrows(ConflictError, 'order-already-shipped');
      given([placed, rejected]).when(cancel).thenThrows(ConflictError, 'order-not-cancellable');
    });
    it('refuses an empty reason', () => {
      const noReason = { type: 'CancelOrder', data: { orderId, reason: '', at } } as const;
      given([placed]).when(noReason).thenThrows(ValidationError, 'reason');
    });
    it('records nothing when cancelled twice', () => {
      given([placed, cancelled]).when(cancel).then([]);
    });
  });
});
