import { PassThrough } from 'node:stream';
import { openSqliteEventStore } from '../../shared-kernel/event-store/sqlite';
import { newId } from '../../shared-kernel/ids';
import { createLogger } from '../../shared-kernel/logging/logger';
import { domainEventUpcasting } from '../../write-side/aggregates';
import { createCommandHandler } from '../../write-side/command-handling/command-handler';
import { commandDispatcher } from '../../write-side/command-handling/dispatch';
import { runInFlight } from './measure';

const at = () => new Date().toISOString();

/** Products with stock, written through the same handler the API uses, 64 at a time. */
export async function seedCatalog(
  dataDir: string,
  aggregates: number,
): Promise<{ productIds: string[]; skus: string[] }> {
  const logger = createLogger({
    service: 'bench',
    level: 'error',
    format: 'json',
    stream: new PassThrough(),
  });
  const store = openSqliteEventStore({ dataDir });
  const dispatch = commandDispatcher(
    createCommandHandler({ store, upcasting: domainEventUpcasting(), logger }),
  );
  const productIds = Array.from({ length: aggregates }, () => newId());
  const skus = productIds.map((_, i) => `BENCH-${i}`);
  const context = () => ({ correlationId: newId(), actor: 'bench', occurredAt: at() });
  const started = Date.now();
  await runInFlight(64, Math.ceil(aggregates / 64), async (client, i) => {
    const n = i * 64 + client;
    if (n >= aggregates) return;
    const [productId, sku] = [productIds[n]!, skus[n]!];
    const price = { amount: 1000 + (n % 5000), currency: 'EUR' };
    const data = {
      productId,
      sku,
      name: `Product ${n}`,
      description: '',
      category: `c${n % 20}`,
      price,
      attributes: {},
    };
    await dispatch({
      aggregate: 'product',
      commandId: newId(),
      context: context(),
      command: { type: 'CreateProduct', data },
    });
    await dispatch({
      aggregate: 'stock',
      commandId: newId(),
      context: context(),
      command: { type: 'ReceiveStock', data: { sku, quantity: 1_000_000 } },
    });
  });
  process.stdout.write(
    `seeded ${aggregates} products with stock in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
  await store.close();
  return { productIds, skus };
}
