import { PassThrough } from 'node:stream';
import type { SqliteEventStore } from '../../shared-kernel/event-store/sqlite';
import { newId } from '../../shared-kernel/ids';
import { createLogger, type Logger } from '../../shared-kernel/logging/logger';
import { domainEventUpcasting } from '../../write-side/aggregates';
import {
  createCommandHandler,
  type CommandHandler,
} from '../../write-side/command-handling/command-handler';
import type { CommandRequest } from '../../write-side/command-handling/command-request';
import {
  commandDispatcher,
  type DispatchCommand,
} from '../../write-side/command-handling/dispatch';
import { runInFlight } from '../support/measure';
import type { Random } from '../projections/seeded-random';

/** A shop of `skus` products through the real command handler, for the saga phases. */
export interface BacklogShop {
  handler: CommandHandler;
  dispatch: DispatchCommand;
  logger: Logger;
  productIds: string[];
  skus: string[];
}

const context = () => ({
  correlationId: newId(),
  actor: 'bench',
  occurredAt: new Date().toISOString(),
});

const ADDRESS = {
  name: 'Bench',
  line1: '1 Load St',
  city: 'Lyon',
  postalCode: '69001',
  country: 'FR',
};

export function quietLogger(): Logger {
  return createLogger({
    service: 'bench',
    level: 'error',
    format: 'json',
    stream: new PassThrough(),
  });
}

/** Creates the products and receives `unitsEach` of every SKU. */
export async function openBacklogShop(
  eventStore: SqliteEventStore,
  skuCount: number,
  unitsEach: number,
  tag: string,
): Promise<BacklogShop> {
  const logger = quietLogger();
  const handler = createCommandHandler({
    store: eventStore,
    upcasting: domainEventUpcasting(),
    logger,
  });
  const dispatch = commandDispatcher(handler);
  const productIds = Array.from({ length: skuCount }, () => newId());
  const skus = productIds.map((_, i) => `${tag}-${i}`);
  for (let i = 0; i < skuCount; i++) {
    const [productId, sku] = [productIds[i]!, skus[i]!];
    await dispatch({
      aggregate: 'product',
      commandId: newId(),
      context: context(),
      command: {
        type: 'CreateProduct',
        data: {
          productId,
          sku,
          name: `Hot ${i}`,
          description: '',
          category: 'bench',
          price: { amount: 1000 + i, currency: 'EUR' },
          attributes: {},
        },
      },
    });
    await dispatch({
      aggregate: 'stock',
      commandId: newId(),
      context: context(),
      command: { type: 'ReceiveStock', data: { sku, quantity: unitsEach } },
    });
  }
  return { handler, dispatch, logger, productIds, skus };
}

/** One order of 1 to `maxLines` distinct products, each 1 unit, placed as a customer would. */
export function placeOrderRequest(
  shop: BacklogShop,
  random: Random,
  maxLines: number,
): CommandRequest<'order'> {
  const lines = new Map<string, { productId: string; quantity: number; product: null }>();
  const count = random.between(1, Math.min(maxLines, shop.productIds.length));
  while (lines.size < count) {
    const productId = random.pick(shop.productIds);
    lines.set(productId, { productId, quantity: 1, product: null });
  }
  return {
    aggregate: 'order',
    commandId: newId(),
    context: context(),
    command: {
      type: 'PlaceOrder',
      data: {
        orderId: newId(),
        customerId: newId(),
        lines: [...lines.values()],
        shippingAddress: ADDRESS,
        at: new Date().toISOString(),
      },
    },
  };
}

/** Places `orders` orders, 32 in flight: the backlog the saga finds when it starts. */
export async function placeBacklog(
  shop: BacklogShop,
  orders: number,
  random: Random,
  maxLines: number,
): Promise<void> {
  const inFlight = 32;
  await runInFlight(inFlight, Math.ceil(orders / inFlight), async (client, i) => {
    if (i * inFlight + client >= orders) return;
    await shop.dispatch(placeOrderRequest(shop, random, maxLines) as CommandRequest);
  });
}
