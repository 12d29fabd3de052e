import type { DispatchCommand } from '../../../write-side/command-handling/dispatch';
import type { CommandRequest } from '../../../write-side/command-handling/command-request';
import { between, seedAddress, seedProduct, seededRandom, type Random } from './shop-words';

export interface SeedPlan {
  products: number;
  orders: number;
  customers: number;
  /** Commands in flight at once. */
  concurrency: number;
  seed: number;
  currency: string;
}

export interface SeedDeps {
  dispatch: DispatchCommand;
  newId: () => string;
  clock: () => Date;
  /** Told after every command, with the phase it belongs to. */
  progress: (phase: SeedPhase, done: number) => void;
}

export type SeedPhase = 'products' | 'stock' | 'orders';

export interface SeedSummary {
  products: number;
  stockReceipts: number;
  orders: number;
  customers: number;
  /** The `$all` position of the last event written, for `X-Min-Position`. */
  lastPosition: string | null;
  durationMs: number;
  commandsPerSecond: number;
}

/**
 * Seeds a shop through the command handler, exactly as HTTP commands would (same validation,
 * same SKU claims, orders priced from the catalog): products, then stock for each, then orders
 * of 1-3 lines by a pool of customers. Phases run one after another (an order needs its
 * products); commands within a phase run `concurrency` at a time.
 */
export async function seedShop(deps: SeedDeps, plan: SeedPlan): Promise<SeedSummary> {
  const started = Date.now();
  const random = seededRandom(plan.seed);
  // Tag SKUs per run so a second seed into the same store adds products instead of colliding.
  const runTag = `S${plan.seed.toString(36).toUpperCase()}${started.toString(36).toUpperCase()}`;
  const catalog = Array.from({ length: plan.products }, (_, i) => ({
    id: deps.newId(),
    ...seedProduct(random, i, runTag),
  }));
  const customers = Array.from({ length: plan.customers }, () => ({
    id: deps.newId(),
    address: seedAddress(random),
  }));
  let lastPosition: string | null = null;
  const run = async (request: Omit<CommandRequest, 'commandId' | 'context'>) => {
    const result = await deps.dispatch({
      ...request,
      commandId: deps.newId(),
      context: {
        correlationId: deps.newId(),
        actor: 'strata-seed',
        occurredAt: deps.clock().toISOString(),
      },
    } as CommandRequest);
    if (result.position !== null && (lastPosition === null || result.position > lastPosition)) {
      lastPosition = result.position;
    }
  };

  await inPool(catalog, plan.concurrency, (p, done) =>
    run({
      aggregate: 'product',
      command: {
        type: 'CreateProduct',
        data: {
          productId: p.id,
          sku: p.sku,
          name: p.name,
          description: p.description,
          category: p.category,
          price: { amount: p.price, currency: plan.currency },
          attributes: p.attributes,
        },
      },
    }).then(() => deps.progress('products', done())),
  );
  const quantities = catalog.map(() => between(random, 20, 500));
  await inPool(catalog, plan.concurrency, (p, done, i) =>
    run({
      aggregate: 'stock',
      command: {
        type: 'ReceiveStock',
        data: { sku: p.sku, quantity: quantities[i] ?? 1, reference: 'seed' },
      },
    }).then(() => deps.progress('stock', done())),
  );
  const orders = Array.from({ length: plan.orders }, () => orderOf(random, catalog, customers));
  await inPool(orders, plan.concurrency, (order, done) =>
    run({
      aggregate: 'order',
      command: {
        type: 'PlaceOrder',
        data: { ...order, orderId: deps.newId(), at: deps.clock().toISOString() },
      },
    }).then(() => deps.progress('orders', done())),
  );
  const durationMs = Date.now() - started;
  const commands = plan.products * 2 + plan.orders;
  return {
    products: plan.products,
    stockReceipts: plan.products,
    orders: plan.orders,
    customers: plan.customers,
    lastPosition,
    durationMs,
    commandsPerSecond: Math.round((commands * 1000) / Math.max(1, durationMs)),
  };
}

function orderOf(
  random: Random,
  catalog: readonly { id: string }[],
  customers: readonly { id: string; address: ReturnType<typeof seedAddress> }[],
) {
  const customer = customers[Math.floor(random() * customers.length)]!;
  const lines = new Map<string, number>();
  const wanted = Math.min(catalog.length, between(random, 1, 3));
  while (lines.size < wanted) {
    lines.set(catalog[Math.floor(random() * catalog.length)]!.id, between(random, 1, 3));
  }
  return {
    customerId: customer.id,
    lines: [...lines].map(([productId, quantity]) => ({ productId, quantity, product: null })),
    shippingAddress: customer.address,
  };
}

/** Runs `work` over `items`, at most `concurrency` at once; the first failure stops the rest. */
async function inPool<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, done: () => number, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  let finished = 0;
  let failed = false;
  const done = () => ++finished;
  const lane = async () => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        await work(items[index] as T, done, index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane));
}
