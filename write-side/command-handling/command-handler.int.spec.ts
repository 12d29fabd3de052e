import { expect } from 'chai';
import {
  ConcurrencyError,
  ConflictError,
  NotFoundError,
  PreconditionFailedError,
} from '../../shared-kernel/errors';
import { newId } from '../../shared-kernel/ids';
import type { CommandHandler } from './command-handler';
import type { CommandRequest } from './command-request';
import { commandDispatcher, type DispatchCommand } from './dispatch';
import { eventIdFor } from './new-events';
import { openHandlerFixture, testContext, type HandlerFixture } from './test-fixture';

const EUR = (amount: number) => ({ amount, currency: 'EUR' });

function createProduct(productId: string, sku: string, amount = 1000): CommandRequest<'product'> {
  return {
    aggregate: 'product',
    commandId: newId(),
    context: testContext(),
    command: {
      type: 'CreateProduct',
      data: {
        productId,
        sku,
        name: 'Kettle',
        description: '',
        category: 'kitchen',
        price: EUR(amount),
        attributes: {},
      },
    },
  };
}

function receive(sku: string, quantity: number): CommandRequest<'stock'> {
  return {
    aggregate: 'stock',
    commandId: newId(),
    context: testContext(),
    command: { type: 'ReceiveStock', data: { sku, quantity } },
  };
}

async function failure(work: Promise<unknown>): Promise<unknown> {
  return work.then(
    () => expect.fail('expected a failure'),
    (error: unknown) => error,
  );
}

describe('generic command handler (real SQLite store)', () => {
  let fixture: HandlerFixture;
  let handler: CommandHandler;
  let dispatch: DispatchCommand;
  beforeEach(() => {
    fixture = openHandlerFixture();
    handler = fixture.handler();
    dispatch = commandDispatcher(handler);
  });
  afterEach(() => fixture.close());

  it('appends the decided events with derived ids and full metadata', async () => {
    const productId = newId();
    const request = createProduct(productId, 'KET-1');
    const result = await dispatch(request);
    const [event] = await fixture.streamEvents(`product-${productId}`);
    expect(event?.type).to.equal('ProductCreated');
    expect(event?.eventId).to.equal(eventIdFor(request.commandId, 0));
    expect(event?.metadata).to.deep.equal({
      correlationId: request.context.correlationId,
      causationId: request.commandId,
      actor: 'tester',
      occurredAt: '2025-01-02T03:04:05.000Z',
      schemaVersion: 2,
    });
    expect(result).to.deep.include({
      id: productId,
      streamRevision: 0,
      position: event?.position,
      appended: 1,
    });
    const [reservation] = await fixture.streamEvents('sku-KET-1');
    expect(reservation?.data).to.deep.equal({ sku: 'KET-1', productId });
    expect(reservation?.metadata.causationId).to.equal(request.commandId);
  });

  it('appends nothing when nothing was decided and answers the current revision and position', async () => {
    const productId = newId();
    const created = await dispatch(createProduct(productId, 'KET-2', 1000));
    const before = (await fixture.allEvents()).length;
    const same = await dispatch({
      aggregate: 'product',
      commandId: newId(),
      context: testContext(),
      command: { type: 'ChangeProductPrice', data: { productId, price: EUR(1000) } },
    });
    expect(same).to.deep.include({ streamRevision: 0, position: created.position, appended: 0 });
    expect(await fixture.allEvents()).to.have.length(before);
  });

  it('folds old event versions through the upcasters before deciding', async () => {
    const productId = newId();
    const v1 = {
      productId,
      sku: 'OLD-1',
      name: 'Old',
      description: '',
      category: 'c',
      price: 250,
      currency: 'GBP',
      attributes: {},
    };
    await fixture.store.append(
      `product-${productId}`,
      [
        {
          eventId: newId(),
          type: 'ProductCreated',
          data: v1,
          metadata: { ...testContext(), causationId: null, schemaVersion: 1 },
        },
      ],
      'no_stream',
    );
    await dispatch({
      aggregate: 'product',
      commandId: newId(),
      context: testContext(),
      command: {
        type: 'ChangeProductPrice',
        data: { productId, price: { amount: 300, currency: 'GBP' } },
      },
    });
    const events = await fixture.streamEvents(`product-${productId}`);
    expect(events[1]?.data).to.deep.equal({
      productId,
      previousPrice: { amount: 250, currency: 'GBP' },
      price: { amount: 300, currency: 'GBP' },
    });
  });

  it('with an expected revision: appends when it matches, 412 without retry when it does not', async () => {
    const productId = newId();
    await dispatch(createProduct(productId, 'KET-3'));
    const change = (amount: number, expectedRevision: number): CommandRequest<'product'> => ({
      aggregate: 'product',
      commandId: newId(),
      expectedRevision,
      context: testContext(),
      command: { type: 'ChangeProductPrice', data: { productId, price: EUR(amount) } },
    });
    expect((await dispatch(change(1100, 0))).streamRevision).to.equal(1);
    expect(await failure(dispatch(change(1200, 0)))).to.be.instanceOf(PreconditionFailedError);
    // Two writers holding the same revision: one wins, the other is told, not retried.
    const outcomes = await Promise.allSettled([
      dispatch(change(1300, 1)),
      dispatch(change(1400, 1)),
    ]);
    expect(outcomes.map((o) => o.status).sort()).to.deep.equal(['fulfilled', 'rejected']);
    const rejected = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).to.be.instanceOf(PreconditionFailedError);
    expect(await fixture.streamEvents(`product-${productId}`)).to.have.length(3);
  });

  it('two handlers racing on one stock item both succeed, with no lost update', async () => {
    await dispatch(createProduct(newId(), 'RACE-1'));
    const other = commandDispatcher(fixture.handler());
    let expected = 0;
    for (let round = 1; round <= 15; round++) {
      await Promise.all([
        dispatch(receive('RACE-1', round)),
        other(receive('RACE-1', 100 * round)),
      ]);
      expected += 101 * round;
    }
    const { state, revision } = await handler.load('stock', 'RACE-1');
    expect(state.onHand).to.equal(expected);
    expect(revision).to.equal(29);
    expect(
      fixture.logLines.some((line) => line.includes('concurrency conflict, retrying')),
    ).to.equal(true);
  });

  it('gives up after the last attempt with the ConcurrencyError', async () => {
    await dispatch(createProduct(newId(), 'RACE-2'));
    const once = commandDispatcher(fixture.handler({ maxAttempts: 1 }));
    const outcomes = await Promise.allSettled([
      once(receive('RACE-2', 1)),
      once(receive('RACE-2', 2)),
    ]);
    const rejected = outcomes.filter((o) => o.status === 'rejected') as PromiseRejectedResult[];
    expect(rejected).to.have.length(1);
    expect(rejected[0]?.reason).to.be.instanceOf(ConcurrencyError);
  });

  it('refuses a SKU held by another product, leaving no product stream behind', async () => {
    await dispatch(createProduct(newId(), 'DUP-1'));
    const second = newId();
    const error = await failure(dispatch(createProduct(second, 'DUP-1')));
    expect(error).to.be.instanceOf(ConflictError).with.property('rule', 'duplicate-sku');
    expect(await fixture.streamEvents(`product-${second}`)).to.have.length(0);
  });

  it('maps a lost race for a SKU to duplicate-sku, with exactly one product created', async () => {
    const ids = [newId(), newId(), newId()];
    const outcomes = await Promise.allSettled(
      ids.map((id) => dispatch(createProduct(id, 'RACE-SKU'))),
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
    await dispatch(createProduct(productId, 'TWICE-1'));
    const error = await failure(dispatch(createProduct(productId, 'TWICE-2')));
    expect(error).to.be.instanceOf(ConflictError).with.property('rule', 'product-already-exists');
    expect(await fixture.streamEvents('sku-TWICE-2')).to.have.length(0);
  });

  it('receives stock only for a SKU some product holds', async () => {
    expect(await failure(dispatch(receive('NOBODY', 5)))).to.be.instanceOf(NotFoundError);
    expect(await fixture.streamEvents('stock-NOBODY')).to.have.length(0);
  });

  it('prices an order from the catalog, and names an unknown product', async () => {
    const kettle = newId();
    await dispatch(createProduct(kettle, 'ORD-1', 1999));
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
    const error = await failure(
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
