import { PassThrough } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RecordedEvent } from '../../../shared-kernel/events/envelope';
import {
  openSqliteEventStore,
  type SqliteEventStore,
} from '../../../shared-kernel/event-store/sqlite';
import { newId } from '../../../shared-kernel/ids';
import { createLogger } from '../../../shared-kernel/logging/logger';
import { domainEventUpcasting } from '../../../write-side/aggregates';
import { createCommandHandler } from '../../../write-side/command-handling/command-handler';
import type { CommandRequest } from '../../../write-side/command-handling/command-request';
import {
  commandDispatcher,
  type DispatchCommand,
} from '../../../write-side/command-handling/dispatch';
import { EUR, testContext } from '../../../write-side/command-handling/command-handler.fixtures';
import { placeOrderRequest } from '../../support/shop-traffic';

/**
 * The write side's real command handler in this process, on the event log of a running
 * system's data dir (SQLite WAL takes writers from several processes). It makes big histories
 * far faster than HTTP can, for scenarios whose subject is what happens downstream of the log.
 */
export interface InProcessShop {
  readonly events: SqliteEventStore;
  readonly dispatch: DispatchCommand;
  upcast(event: RecordedEvent): RecordedEvent;
  close(): Promise<void>;
}

export interface ShopItem {
  productId: string;
  sku: string;
}

export function openInProcessShop(dataDir: string): InProcessShop {
  const logger = createLogger({
    service: 'fault-shop',
    level: 'error',
    format: 'json',
    stream: new PassThrough().resume(),
  });
  const events = openSqliteEventStore({ dataDir });
  const upcasting = domainEventUpcasting();
  const handler = createCommandHandler({ store: events, upcasting, logger });
  return {
    events,
    dispatch: commandDispatcher(handler),
    upcast: (event) => upcasting.upcast(event),
    close: () => events.close(),
  };
}

const now = () => testContext({ actor: 'fault-traffic', occurredAt: new Date().toISOString() });

/** `count` products with plenty of stock, so orders on them are confirmed by the saga. */
export async function seedItems(shop: InProcessShop, count: number): Promise<ShopItem[]> {
  const tag = newId().slice(-8).toUpperCase();
  const items: ShopItem[] = [];
  for (let i = 0; i < count; i++) {
    const item = { productId: newId(), sku: `F2T-${tag}-${i}` };
    const data = { ...item, name: `Traffic item ${i}`, description: '', category: 'traffic' };
    await shop.dispatch({
      aggregate: 'product',
      commandId: newId(),
      context: now(),
      command: { type: 'CreateProduct', data: { ...data, price: EUR(500 + i), attributes: {} } },
    } as CommandRequest);
    await shop.dispatch(stockRequest(item.sku, 1_000_000));
    items.push(item);
  }
  return items;
}

function stockRequest(sku: string, quantity: number): CommandRequest {
  return {
    aggregate: 'stock',
    commandId: newId(),
    context: now(),
    command: { type: 'ReceiveStock', data: { sku, quantity } },
  } as CommandRequest;
}

/** The n-th command of the traffic: mostly price changes and receipts, every 10th an order. */
function trafficCommand(items: readonly ShopItem[], n: number): CommandRequest {
  const item = items[n % items.length] as ShopItem;
  if (n % 10 === 9) {
    const lines = [{ ...item, quantity: 1 + (n % 3) }];
    return placeOrderRequest({ orderId: newId(), kind: 'plentiful', lines }) as CommandRequest;
  }
  if (n % 2 === 0) {
    return {
      aggregate: 'product',
      commandId: newId(),
      context: now(),
      command: { type: 'ChangeProductPrice', data: { productId: item.productId, price: EUR(n) } },
    } as CommandRequest;
  }
  return stockRequest(item.sku, 1);
}

/**
 * Appends commands over `items` until at least `events` events are stored, `lanes` at a time,
 * paced to `perSecond` commands when given. Resolves to the events this traffic appended (the
 * saga's own, made by the worker in reply to orders, are not counted here).
 */
export async function appendTraffic(
  shop: InProcessShop,
  items: readonly ShopItem[],
  options: { events: number; lanes?: number; perSecond?: number },
): Promise<number> {
  let appended = 0;
  let issued = 0;
  const started = Date.now();
  const lane = async () => {
    while (appended < options.events) {
      const n = issued++;
      if (options.perSecond !== undefined) {
        const wait = started + (n * 1000) / options.perSecond - Date.now();
        if (wait > 0) await sleep(wait);
      }
      // Awaited first: `appended += await ...` would add to the value read before the await.
      const result = await shop.dispatch(trafficCommand(items, n));
      appended += result.appended;
    }
  };
  await Promise.all(Array.from({ length: options.lanes ?? 8 }, lane));
  return appended;
}
