import { domainEventUpcasting } from '../../write-side/aggregates';
import { catalogActivity } from './catalog-activity';
import { orderFlow } from './order-flow';
import { seededRandom } from './seeded-random';
import { shopLedger, type Append } from './shop-ledger';

export interface ShopHistoryOptions {
  /** Stop once at least this many events were made. */
  events: number;
  products: number;
  /** Orders in progress at once: how far their steps spread through the log. */
  ordersInFlight?: number;
  /** Share of the steps that move an order along (the rest is catalog and warehouse work). */
  orderShare?: number;
  seed?: number;
  /** Domain time of the first event; each step advances it by `stepMs`. */
  startAt?: Date;
  stepMs?: number;
}

/** What the history held, for the report. */
export interface HistoryTally {
  events: number;
  appends: number;
  orders: number;
  byType: Map<string, number>;
  /** Streams whose state the generator still held at the end (memory stays flat in events). */
  heldStreams: number;
}

/**
 * A shop's history as a stream of appends: `products` products with their SKU claims and
 * opening stock, then catalog activity interleaved with orders and their saga steps until
 * `events` events exist. Lazy (a generator), so 1,000,000 events never sit in memory at once;
 * `tally` fills in as it goes.
 */
export function* shopHistory(options: ShopHistoryOptions, tally = emptyTally()): Generator<Append> {
  const random = seededRandom(options.seed ?? 20_241_121);
  let time = (options.startAt ?? new Date('2025-01-01T08:00:00.000Z')).getTime();
  const stepMs = options.stepMs ?? 40;
  const shop = shopLedger(domainEventUpcasting(), () => new Date((time += stepMs)).toISOString());
  const catalog = catalogActivity(shop, random);
  const count = (append: Append) => {
    tally.events += append.events.length;
    tally.appends += 1;
    for (const { type } of append.events) tally.byType.set(type, (tally.byType.get(type) ?? 0) + 1);
    tally.heldStreams = shop.size();
    return append;
  };
  for (let n = 0; n < options.products && tally.events < options.events; n++) {
    for (const append of catalog.createProduct(n)) yield count(append);
  }
  const inFlight = options.ordersInFlight ?? 64;
  const orderShare = options.orderShare ?? 0.45;
  const flows: Iterator<Append>[] = [];
  while (tally.events < options.events) {
    let next: Append | null;
    if (random.chance(orderShare)) {
      if (flows.length < inFlight && (flows.length === 0 || random.chance(0.2))) {
        flows.push(orderFlow(shop, catalog, random));
        tally.orders += 1;
      }
      const k = random.int(flows.length);
      const step = flows[k]!.next();
      if (step.done) {
        flows[k] = flows[flows.length - 1]!;
        flows.pop();
        continue;
      }
      next = step.value;
    } else {
      next = catalog.activity();
    }
    if (next !== null) yield count(next);
  }
}

export function emptyTally(): HistoryTally {
  return { events: 0, appends: 0, orders: 0, byType: new Map(), heldStreams: 0 };
}
