import { expect } from 'chai';
import { ConflictError } from '../../shared-kernel/errors';
import type { EventStore } from '../../shared-kernel/event-store/port';
import { newId } from '../../shared-kernel/ids';
import { domainEventUpcasting } from '../aggregates';
import type { ProductCommand } from '../catalog/product/commands';
import { createCommandHandler, type CommandHandler } from './command-handler';
import type { CommandRequest } from './command-request';
import { commandDispatcher } from './dispatch';
import {
  EUR,
  createProductRequest,
  failureOf,
  openHandlerFixture,
  placeOrderRequest,
  testContext,
  type HandlerFixture,
} from './command-handler.fixtures';

const productRequest = (command: ProductCommand): CommandRequest<'product'> => ({
  aggregate: 'product',
  commandId: newId(),
  context: testContext(),
  command,
});
const confirmRequest = (orderId: string): CommandRequest<'order'> => ({
  aggregate: 'order',
  commandId: newId(),
  context: testContext(),
  command: { type: 'ConfirmOrder', data: { orderId, at: '2025-01-02T03:04:06.000Z' } },
});

/** The store, with `between` run once just before the first append to an order stream. */
function withChangeBeforeOrderAppend(store: EventStore, between: () => Promise<unknown>) {
  let pending: (() => Promise<unknown>) | null = between;
  return new Proxy(store, {
    get(target, key, receiver) {
      if (key !== 'append') return Reflect.get(target, key, receiver) as unknown;
      return async (...args: Parameters<EventStore['append']>) => {
        const run = args[0].startsWith('order-') ? pending : null;
        pending = null;
        if (run) await run();
        return target.append(...args);
      };
    },
  });
}

describe('order placement: an order carries the product facts in force where it lands (real SQLite store)', () => {
  let f: HandlerFixture;
  let handler: CommandHandler;
  let productId: string;
  const sku = 'FACTS-1';
  beforeEach(async () => {
    f = openHandlerFixture();
    handler = f.handler();
    productId = newId();
    await commandDispatcher(handler)(createProductRequest(productId, sku, 1000));
  });
  afterEach(() => f.close());

  /** Places an order through the dispatcher while `change` lands between its read and append. */
  function placeRacing(orderId: string, change: ProductCommand) {
    const racing = createCommandHandler({
      store: withChangeBeforeOrderAppend(f.store, () => handler.execute(productRequest(change))),
      upcasting: domainEventUpcasting(),
      logger: f.logger,
    });
    return commandDispatcher(racing)(placeOrderRequest([{ productId, quantity: 1 }], orderId));
  }

  const changes: Array<[string, () => ProductCommand]> = [
    ['a discontinuation', () => ({ type: 'DiscontinueProduct', data: { productId } })],
    [
      'a price change',
      () => ({ type: 'ChangeProductPrice', data: { productId, price: EUR(1200) } }),
    ],
  ];
  for (const [name, change] of changes) {
    it(`refuses (409 product-changed) and rejects an order when ${name} lands between its read and its append`, async () => {
      const orderId = newId();
      const error = await failureOf(placeRacing(orderId, change()));
      expect(error).to.be.instanceOf(ConflictError).with.property('rule', 'product-changed');
      const events = await f.streamEvents(`order-${orderId}`);
      expect(events.map((e) => e.type)).to.deep.equal(['OrderPlaced', 'OrderRejected']);
      expect(events[1]!.data).to.deep.include({ failedSkus: [sku] });
      expect((events[1]!.data as { reason: string }).reason).to.include(productId);
    });
  }

  it('keeps an order when what changed in between is not a fact the order takes (details)', async () => {
    const orderId = newId();
    const rename: ProductCommand = { type: 'UpdateProductDetails', data: { productId, name: 'B' } };
    const placed = await placeRacing(orderId, rename);
    expect(placed).to.include({ id: orderId, appended: 1 });
    const events = await f.streamEvents(`order-${orderId}`);
    expect(events.map((e) => e.type)).to.deep.equal(['OrderPlaced']);
  });

  it('confirms an order priced from the facts in force, whatever changed after it landed', async () => {
    const orderId = newId();
    await commandDispatcher(handler)(placeOrderRequest([{ productId, quantity: 1 }], orderId));
    await handler.execute(
      productRequest({ type: 'ChangeProductPrice', data: { productId, price: EUR(1) } }),
    );
    await handler.execute(confirmRequest(orderId));
    const events = await f.streamEvents(`order-${orderId}`);
    expect(events.map((e) => e.type)).to.deep.equal(['OrderPlaced', 'OrderConfirmed']);
  });

  it('rejects at confirmation an out-of-date order whose placement never checked (its process died)', async () => {
    const orderId = newId();
    // The placement as far as its append: priced at the product's revision 0, which a price
    // change then overtakes before the order lands; no check after it.
    const { state } = await handler.load('product', productId);
    if (state.status === 'absent') throw new Error('product missing');
    const snapshot = { sku, price: state.price, status: state.status, revision: 0 };
    await handler.execute(
      productRequest({ type: 'ChangeProductPrice', data: { productId, price: EUR(1500) } }),
    );
    const request = placeOrderRequest([{ productId, quantity: 1 }], orderId);
    if (request.command.type !== 'PlaceOrder') throw new Error('not PlaceOrder');
    const line = { productId, quantity: 1, product: snapshot };
    await handler.execute({
      ...request,
      command: { ...request.command, data: { ...request.command.data, lines: [line] } },
    });

    await handler.execute(confirmRequest(orderId));
    const events = await f.streamEvents(`order-${orderId}`);
    expect(events.map((e) => e.type)).to.deep.equal(['OrderPlaced', 'OrderRejected']);
    expect(events[1]!.data).to.deep.include({ failedSkus: [sku] });
  });
});
