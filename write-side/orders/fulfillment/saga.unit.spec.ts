import { expect } from 'chai';
import { isUuid } from '../../../shared-kernel/ids';
import { react } from './saga';
import { sagaCommandId } from './saga-command';
import {
  at,
  cancelled,
  confirmOrder,
  event,
  orderId,
  placed,
  placedData,
  play,
  refused,
  rejectedOrder,
  reserved,
  shipped,
  stock,
} from './saga.fixtures';
import { fulfillmentKey, type SagaEvent } from './state';

describe('Fulfillment saga decisions', () => {
  it('reserves every line when an order is placed', () => {
    const { state, steps } = play(placed);
    expect(steps[0]).to.deep.equal([
      stock(placed, 'ReserveStock', 'A', 1),
      stock(placed, 'ReserveStock', 'B', 2),
      stock(placed, 'ReserveStock', 'C', 3),
    ]);
    expect(state).to.deep.include({ orderId, phase: 'reserving' });
  });

  it('confirms the order once every line is reserved, not before', () => {
    const last = reserved('B', 2);
    const { state, steps } = play(placed, reserved('A', 1), reserved('C', 3), last);
    expect(steps.slice(1, 3)).to.deep.equal([[], []]);
    expect(steps[3]).to.deep.equal([confirmOrder(last)]);
    expect(state?.phase).to.equal('confirmed');
  });

  it('on a refusal rejects the order with the failed SKU, and releases nothing yet', () => {
    const rejection = refused('B', 2, 1);
    const { state, steps } = play(placed, reserved('A', 1), rejection);
    expect(steps[2]).to.deep.equal([
      {
        commandId: sagaCommandId(rejection.eventId, 'RejectOrder', `order-${orderId}`),
        aggregate: 'order',
        command: {
          type: 'RejectOrder',
          data: {
            orderId,
            reason: 'insufficient stock for B: 2 requested, 1 available',
            failedSkus: ['B'],
            at,
          },
        },
      },
    ]);
    expect(state?.phase).to.equal('rejecting');
  });

  it('once the rejection is seen, releases every answered line, the refused one included', () => {
    const { state, steps } = play(placed, reserved('A', 1), refused('B', 2, 1), rejectedOrder);
    expect(steps[3]).to.deep.equal([
      stock(rejectedOrder, 'ReleaseReservation', 'A'),
      stock(rejectedOrder, 'ReleaseReservation', 'B'),
    ]);
    expect(state?.phase).to.equal('rejected');
    expect(state?.lines).to.deep.equal({
      A: { quantity: 1, progress: 'released' },
      B: { quantity: 2, progress: 'released' },
      C: { quantity: 3, progress: 'pending' },
    });
  });

  it('answers arriving while rejecting wait for the rejection; later ones are released at once', () => {
    const whileRejecting = reserved('C', 3);
    const late = refused('A', 1, 0);
    const { state, steps } = play(placed, refused('B', 2, 0), whileRejecting, rejectedOrder, late);
    expect(steps[1]?.map((c) => c.command.type)).to.deep.equal(['RejectOrder']);
    expect(steps[2]).to.deep.equal([]);
    expect(steps[3]).to.deep.equal([
      stock(rejectedOrder, 'ReleaseReservation', 'B'),
      stock(rejectedOrder, 'ReleaseReservation', 'C'),
    ]);
    expect(steps[4]).to.deep.equal([stock(late, 'ReleaseReservation', 'A')]);
    expect(Object.values(state?.lines ?? {}).map((l) => l.progress)).to.deep.equal([
      'released',
      'released',
      'released',
    ]);
  });

  it('on cancellation after partial reservation releases what is held, then late arrivals', () => {
    const late = reserved('C', 3);
    const lateRefusal = refused('B', 2, 0);
    const { state, steps } = play(placed, reserved('A', 1), cancelled, late, lateRefusal);
    expect(steps[2]).to.deep.equal([stock(cancelled, 'ReleaseReservation', 'A')]);
    expect(steps[3]).to.deep.equal([stock(late, 'ReleaseReservation', 'C')]);
    expect(steps[4]).to.deep.equal([stock(lateRefusal, 'ReleaseReservation', 'B')]);
    expect(state?.phase).to.equal('cancelled');
  });

  it('on cancellation of a confirmed order releases every line', () => {
    const { steps } = play(placed, reserved('A', 1), reserved('B', 2), reserved('C', 3), cancelled);
    expect(steps[4]).to.deep.equal(
      ['A', 'B', 'C'].map((sku) => stock(cancelled, 'ReleaseReservation', sku)),
    );
  });

  it('on shipment commits every line; a cancellation after that changes nothing', () => {
    const { state, steps } = play(
      placed,
      reserved('A', 1),
      reserved('B', 2),
      reserved('C', 3),
      shipped,
      cancelled,
    );
    expect(steps[4]).to.deep.equal(
      ['A', 'B', 'C'].map((sku) => stock(shipped, 'CommitReservation', sku)),
    );
    expect(steps[5]).to.deep.equal([]);
    expect(state?.phase).to.equal('shipped');
    expect(Object.values(state?.lines ?? {}).map((l) => l.progress)).to.deep.equal([
      'committed',
      'committed',
      'committed',
    ]);
  });

  it('ignores shipment and cancellation once the order was rejected', () => {
    const { steps } = play(placed, refused('A', 1, 0), rejectedOrder, shipped, cancelled);
    expect(steps[2]).to.deep.equal([stock(rejectedOrder, 'ReleaseReservation', 'A')]);
    expect(steps.slice(3)).to.deep.equal([[], []]);
  });

  it('changes nothing when any event is delivered again', () => {
    const history = [
      placed,
      reserved('A', 1),
      refused('B', 2, 0),
      rejectedOrder,
      reserved('C', 3),
      cancelled,
      shipped,
    ];
    for (let i = 0; i < history.length; i += 1) {
      const once = play(...history.slice(0, i + 1));
      const again = react(once.state, history[i] as SagaEvent);
      expect(again.commands, history[i]?.eventId).to.deep.equal([]);
      expect(again.state).to.deep.equal(once.state);
    }
    const secondPlacement = react(play(placed).state, event('e-other', 'OrderPlaced', placedData));
    expect(secondPlacement.commands).to.deep.equal([]);
  });

  it('ignores events it does not consume, and stock events of an order it never saw placed', () => {
    const { state } = play(placed);
    const confirmedEvent = event('e-x', 'OrderConfirmed', { orderId, confirmedAt: at });
    expect(react(state, confirmedEvent)).to.deep.equal({ state, commands: [] });
    expect(react(null, reserved('A', 1))).to.deep.equal({ state: null, commands: [] });
    expect(fulfillmentKey(reserved('A', 1))).to.equal(orderId);
    expect(fulfillmentKey(confirmedEvent)).to.equal(null);
  });

  it('derives command ids from the trigger, the command type and the target, as UUIDs', () => {
    const id = sagaCommandId('e1', 'ReserveStock', 'stock-A');
    expect(isUuid(id)).to.equal(true);
    expect(id[14]).to.equal('5');
    expect(sagaCommandId('e1', 'ReserveStock', 'stock-A')).to.equal(id);
    const others = [
      sagaCommandId('e2', 'ReserveStock', 'stock-A'),
      sagaCommandId('e1', 'ReleaseReservation', 'stock-A'),
      sagaCommandId('e1', 'ReserveStock', 'stock-B'),
    ];
    expect(new Set([id, ...others]).size).to.equal(4);
  });
});
