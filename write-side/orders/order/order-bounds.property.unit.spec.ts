import { expect } from 'chai';
import fc from 'fast-check';
import { MAX_AMOUNT, MAX_QUANTITY } from '../../../shared-kernel/bounds';
import { foldEvents } from '../../../shared-kernel/decider';
import { ConflictError, StrataError, ValidationError } from '../../../shared-kernel/errors';
import type { PlaceOrderLine } from './commands';
import { orderDecider } from './decider';
import { confirm, eur, pay, placeOrder } from './decider.fixtures';

const PRODUCTS = ['p1', 'p2', 'p3', 'p4'];

/** Amounts and quantities near the bounds as often as small ones: that is where rules break. */
const price = fc.oneof(
  fc.integer({ min: 0, max: 10_000 }),
  fc.integer({ min: MAX_AMOUNT / 1000, max: MAX_AMOUNT }),
  fc.constantFrom(0, 1, MAX_AMOUNT - 1, MAX_AMOUNT),
);
const quantity = fc.oneof(
  fc.integer({ min: 1, max: 100 }),
  fc.integer({ min: 1, max: MAX_QUANTITY }),
  fc.constantFrom(1, MAX_QUANTITY / 2, MAX_QUANTITY),
);
const order = fc.record({
  prices: fc.tuple(price, price, price, price),
  lines: fc.array(fc.tuple(fc.constantFrom(...PRODUCTS), quantity), {
    minLength: 1,
    maxLength: 100,
  }),
});

/** What the rule says should happen, computed the plain way (bigint: no overflow to hide behind). */
function expected(prices: readonly number[], lines: ReadonlyArray<[string, number]>) {
  const merged = new Map<string, bigint>();
  for (const [productId, qty] of lines) {
    merged.set(productId, (merged.get(productId) ?? 0n) + BigInt(qty));
  }
  if ([...merged.values()].some((qty) => qty > BigInt(MAX_QUANTITY))) return 'quantity' as const;
  let total = 0n;
  for (const [productId, qty] of merged) {
    const lineTotal = BigInt(prices[PRODUCTS.indexOf(productId)]!) * qty;
    if (lineTotal > BigInt(MAX_AMOUNT)) return 'amount' as const;
    total += lineTotal;
  }
  return total > BigInt(MAX_AMOUNT) ? ('amount' as const) : Number(total);
}

describe('Order placement: bounds on quantities and amounts (property)', () => {
  it('places exactly the orders that can be paid, refusing the rest with the rule they break', () => {
    fc.assert(
      fc.property(order, ({ prices, lines }) => {
        const command = placeOrder(
          lines.map(([productId, qty]): PlaceOrderLine => ({
            productId,
            quantity: qty,
            product: {
              sku: `SKU-${productId}`,
              price: eur(prices[PRODUCTS.indexOf(productId)]!),
              status: 'active',
              revision: 0,
            },
          })),
        );
        const want = expected(prices, lines);
        let events;
        try {
          events = orderDecider.decide(command, orderDecider.initialState);
        } catch (error) {
          if (!(error instanceof StrataError)) throw error;
          if (want === 'quantity') {
            expect(error).to.be.instanceOf(ValidationError);
            expect((error as ValidationError).errors[0]!.field).to.match(/^lines/);
          } else {
            expect(error, String(want)).to.be.instanceOf(ConflictError);
            expect((error as ConflictError).rule).to.equal('amount-limit-exceeded');
          }
          return;
        }
        expect(want, 'placed though it breaks a bound').to.be.a('number');
        const placed = events[0]!;
        if (placed.type !== 'OrderPlaced') throw new Error('expected OrderPlaced');
        expect(placed.data.total).to.deep.equal(eur(want as number));
        for (const line of placed.data.lines) {
          expect(line.quantity).to.be.at.most(MAX_QUANTITY);
          expect(line.lineTotal.amount).to.be.at.most(MAX_AMOUNT);
        }
        // An order that was placed can be paid: its total is an amount a payment may carry.
        const state = foldEvents(orderDecider, events, orderDecider.initialState);
        const confirmed = foldEvents(orderDecider, orderDecider.decide(confirm, state), state);
        const paid = orderDecider.decide(pay(placed.data.total), confirmed);
        expect(paid.map((event) => event.type)).to.deep.equal(['PaymentRecorded']);
      }),
      { numRuns: 300 },
    );
  });
});
