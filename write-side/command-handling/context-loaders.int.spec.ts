import { expect } from 'chai';
import { ConflictError, NotFoundError } from '../../shared-kernel/errors';
import { newId } from '../../shared-kernel/ids';
import type { CommandRequest } from './command-request';
import { commandDispatcher, type DispatchCommand } from './dispatch';
import {
  EUR,
  createProductRequest,
  failureOf,
  openHandlerFixture,
  receiveStockRequest,
  testContext,
  type HandlerFixture,
} from './command-handler.fixtures';

describe('context loaders: commands that look at other aggregates first (real SQLite store)', () => {
  let fixture: HandlerFixture;
  let dispatch: DispatchCommand;
  beforeEach(() => {
    fixture = openHandlerFixture();
    dispatch = commandDispatcher(fixture.handler());
  });
  afterEach(() => fixture.close());

  it('refuses a SKU held by another product, leaving no product stream behind', async () => {
    await dispatch(createProductRequest(newId(), 'DUP-1'));
    const second = newId();
    const error = await failureOf(dispatch(createProductRequest(second, 'DUP-1')));
    expect(error).to.be.instanceOf(ConflictError).with.property('rule', 'duplicate-sku');
    expect(await fixture.streamEvents(`product-${second}`)).to.have.length(0);
  });

  it('maps a lost race for a SKU to duplicate-sku, with exactly one product created', async () => {
    const ids = [newId(), newId(), newId()];
    const outcomes = await Promise.allSettled(
      ids.map((id) => dispatch(createProductRequest(id, 'RACE-SKU'))),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).to.have.length(1);
    for (const outcome of outcomes.filter(
      (o) => o.status === 'rejected',
    ) as PromiseRejectedResult[]) {
      expect(outcome.reason).to.be.instanceOf(ConflictError).with.property('rule', 'duplicate-sku');
    }
    const created = (await fixture.allEvents()).filter((e) => e.type === 'ProductCreated');
    expect(created).to.have.length(1);
  });

  it('says product-already-exists, not duplicate-sku, for a second create of one product', async () => {
    const productId = newId();
    await dispatch(createProductRequest(productId, 'TWICE-1'));
    const error = await failureOf(dispatch(createProductRequest(productId, 'TWICE-2')));
    expect(error).to.be.instanceOf(ConflictError).with.property('rule', 'product-already-exists');
    expect(await fixture.streamEvents('sku-TWICE-2')).to.have.length(0);
  });

  it('receives stock only for a SKU some product holds', async () => {
    expect(await failureOf(dispatch(receiveStockRequest('NOBODY', 5)))).to.be.instanceOf(
      NotFoundError,
    );
    expect(await fixture.streamEvents('stock-NOBODY')).to.have.length(0);
  });

  it('prices an order from the catalog, and names an unknown product', async () => {
    const kettle = newId();
    await dispatch(createProductRequest(kettle, 'ORD-1', 1999));
    const order = (lines: { productId: string; quantity: number }[]): CommandRequest<'order'> => ({
      aggregate: 'order',
      commandId: newId(),
      context: testContext(),
      command: {
        type: 'PlaceOrder',
        data: {
          orderId: newId(),
          customerId: newId(),
          lines: lines.map((line) => ({ ...line, product: null })),
          shippingAddress: { name: 'A', line1: 'B', city: 'C', postalCode: 'D', country: 'DE' },
          at: '2025-01-02T03:04:05.000Z',
        },
      },
    });
    const placed = order([{ productId: kettle, quantity: 3 }]);
    await dispatch(placed);
    const [event] = await fixture.streamEvents(`order-${placed.command.data.orderId}`);
    expect((event?.data as { total: unknown }).total).to.deep.equal(EUR(5997));
    const ghost = newId();
    const error = await failureOf(
      dispatch(
        order([
          { productId: kettle, quantity: 1 },
          { productId: ghost, quantity: 1 },
        ]),
      ),
    );
    expect(error).to.be.instanceOf(ConflictError).with.property('rule', 'unknown-product');
    expect((error as Error).message).to.contain(ghost);
  });
});
