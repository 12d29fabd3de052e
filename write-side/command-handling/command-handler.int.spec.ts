import { expect } from 'chai';
import { ConcurrencyError, PreconditionFailedError } from '../../shared-kernel/errors';
import { newId } from '../../shared-kernel/ids';
import type { CommandHandler } from './command-handler';
import type { CommandRequest } from './command-request';
import { commandDispatcher, type DispatchCommand } from './dispatch';
import { eventIdFor } from './new-events';
import {
  EUR,
  createProductRequest,
  failureOf,
  openHandlerFixture,
  receiveStockRequest,
  testContext,
  type HandlerFixture,
} from './command-handler.fixtures';

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
    const request = createProductRequest(productId, 'KET-1');
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
    const created = await dispatch(createProductRequest(productId, 'KET-2', 1000));
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
    expect(events[1]?.data).to.deep.include({
      productId,
      previousPrice: { amount: 250, currency: 'GBP' },
      price: { amount: 300, currency: 'GBP' },
    });
  });

  it('with an expected revision: appends when it matches, 412 without retry when it does not', async () => {
    const productId = newId();
    await dispatch(createProductRequest(productId, 'KET-3'));
    const change = (amount: number, expectedRevision: number): CommandRequest<'product'> => ({
      aggregate: 'product',
      commandId: newId(),
      expectedRevision,
      context: testContext(),
      command: { type: 'ChangeProductPrice', data: { productId, price: EUR(amount) } },
    });
    expect((await dispatch(change(1100, 0))).streamRevision).to.equal(1);
    expect(await failureOf(dispatch(change(1200, 0)))).to.be.instanceOf(PreconditionFailedError);
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
    await dispatch(createProductRequest(newId(), 'RACE-1'));
    const other = commandDispatcher(fixture.handler());
    let expected = 0;
    for (let round = 1; round <= 15; round++) {
      await Promise.all([
        dispatch(receiveStockRequest('RACE-1', round)),
        other(receiveStockRequest('RACE-1', 100 * round)),
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

  it('gives up with the ConcurrencyError once its retry budget is spent', async () => {
    await dispatch(createProductRequest(newId(), 'RACE-2'));
    // Two handlers (two processes): inside one, commands on a stream take turns instead.
    const [first, second] = [1, 2].map(() => commandDispatcher(fixture.handler({ budgetMs: 0 })));
    const outcomes = await Promise.allSettled([
      first!(receiveStockRequest('RACE-2', 1)),
      second!(receiveStockRequest('RACE-2', 2)),
    ]);
    const rejected = outcomes.filter((o) => o.status === 'rejected') as PromiseRejectedResult[];
    expect(rejected).to.have.length(1);
    expect(rejected[0]?.reason).to.be.instanceOf(ConcurrencyError);
  });

  it('inside one handler, concurrent commands on one stream take turns: no conflict at all', async () => {
    await dispatch(createProductRequest(newId(), 'TURNS-1'));
    const strict = commandDispatcher(fixture.handler({ budgetMs: 0 }));
    await Promise.all(
      Array.from({ length: 10 }, (_, n) => strict(receiveStockRequest('TURNS-1', n + 1))),
    );
    expect((await handler.load('stock', 'TURNS-1')).state.onHand).to.equal(55);
  });
});
