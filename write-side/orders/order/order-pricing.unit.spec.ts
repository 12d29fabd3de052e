import { expect } from 'chai';
import { ConflictError, ValidationError } from '../../../shared-kernel/errors';
import { deciderSpec } from '../../../shared-kernel/decider.fixtures';
import { orderDecider } from './decider';
import { at, eur, kettle, mug, place, placed, placeOrder } from './decider.fixtures';

const given = deciderSpec(orderDecider);

describe('Order decider: PlaceOrder', () => {
  it('prices every line from the catalog snapshot and totals the order', () => {
    const state = given([]).when(place).then([placed]);
    expect(state).to.deep.include({ status: 'placed', total: eur(4500), customerId: 'c1' });
  });

  it('merges lines naming the same product, adding their quantities', () => {
    const merged = given([])
      .when(
        placeOrder([
          { productId: 'p-mug', quantity: 1, product: mug },
          { productId: 'p-kettle', quantity: 1, product: kettle },
          { productId: 'p-mug', quantity: 1, product: mug },
        ]),
      )
      .then([placed]);
    expect(merged.status === 'placed' && merged.lines.map((line) => line.quantity)).to.deep.equal([
      2, 1,
    ]);
  });

  it('refuses an order that exists', () => {
    given([placed]).when(place).thenThrows(ConflictError, 'order-already-exists');
  });

  it('refuses an unknown product, naming it', () => {
    const command = placeOrder([{ productId: 'p-ghost', quantity: 1, product: null }]);
    given([]).when(command).thenThrows(ConflictError, 'unknown-product', 'p-ghost');
  });

  it('refuses a discontinued product', () => {
    const command = placeOrder([
      { productId: 'p-mug', quantity: 1, product: { ...mug, status: 'discontinued' } },
    ]);
    given([]).when(command).thenThrows(ConflictError, 'product-discontinued');
  });

  it('refuses lines in different currencies', () => {
    const usdKettle = { ...kettle, price: { amount: 2500, currency: 'USD' } };
    const command = placeOrder([
      { productId: 'p-mug', quantity: 1, product: mug },
      { productId: 'p-kettle', quantity: 1, product: usdKettle },
    ]);
    given([]).when(command).thenThrows(ConflictError, 'mixed-currencies');
  });

  it('refuses no lines, bad quantities, two products on one SKU, and a bad time', () => {
    given([]).when(placeOrder([])).thenThrows(ValidationError, 'lines');
    for (const quantity of [0, -2, 1.5]) {
      given([])
        .when(placeOrder([{ productId: 'p-mug', quantity, product: mug }]))
        .thenThrows(ValidationError, 'lines[0].quantity');
    }
    const twin = placeOrder([
      { productId: 'p-mug', quantity: 1, product: mug },
      { productId: 'p-mug-2', quantity: 1, product: mug },
    ]);
    given([]).when(twin).thenThrows(ValidationError, 'lines');
    const late = { ...place, data: { ...place.data, at: 'yesterday' } } as typeof place;
    given([]).when(late).thenThrows(ValidationError, 'at');
    expect(at).to.match(/Z$/);
  });
});
