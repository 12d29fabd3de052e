import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startChildService, type ChildService } from '../../bench/support/child-service';
import { newId } from '../../shared-kernel/ids';
import { eventually } from './eventually';
import { embeddedWorkerEnv } from './worker-process';

const ROOT = path.join(__dirname, '..', '..');
export const MAINS = {
  command: path.join(ROOT, 'write-side', 'main.js'),
  query: path.join(ROOT, 'read-side', 'main.js'),
  worker: path.join(ROOT, 'projections', 'main.js'),
};

/**
 * The compiled processes on one embedded data directory, each on a free port, whatever server
 * URLs or auth keys the surrounding environment sets.
 */
export interface RunningSystem {
  dataDir: string;
  env: NodeJS.ProcessEnv;
  start(process: keyof typeof MAINS): Promise<{ service: ChildService; base: string }>;
  stopAll(): Promise<void>;
}

export function runningSystem(): RunningSystem {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'strata-system-'));
  const env: NodeJS.ProcessEnv = {
    ...embeddedWorkerEnv(dataDir),
    REDIS_URL: undefined,
    STRATA_COMMAND_PORT: '0',
    STRATA_QUERY_PORT: '0',
    STRATA_JWT_SECRET: undefined,
    STRATA_JWT_PUBLIC_KEY: undefined,
    STRATA_JWT_JWKS_URL: undefined,
  };
  const started: ChildService[] = [];
  return {
    dataDir,
    env,
    async start(name) {
      const service = await startChildService(MAINS[name], env);
      started.push(service);
      return { service, base: `http://127.0.0.1:${service.port}` };
    },
    async stopAll() {
      await Promise.all(started.map((s) => s.stop()));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function postJson(
  url: string,
  body: object,
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

/** A small shop: `products` products with stock, and one order of the first. */
export async function smallShop(commandBase: string, products = 3): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < products; i++) {
    const id = newId();
    const sku = `SHOP-${id.slice(-8)}`;
    const created = await postJson(`${commandBase}/products`, {
      productId: id,
      sku,
      name: `Lamp ${i}`,
      category: 'lighting',
      price: { amount: 1000 + i, currency: 'EUR' },
    });
    if (created.status !== 201) throw new Error(`product: ${JSON.stringify(created.body)}`);
    await postJson(`${commandBase}/inventory/${sku}/receipts`, { quantity: 10 });
    ids.push(id);
  }
  const order = await postJson(`${commandBase}/orders`, {
    customerId: newId(),
    lines: [{ productId: ids[0], quantity: 2 }],
    shippingAddress: { name: 'A', line1: 'B 1', city: 'C', postalCode: '1000', country: 'BE' },
  });
  if (order.status !== 201) throw new Error(`order: ${JSON.stringify(order.body)}`);
  return ids;
}

/** Until every processor of the worker at `workerBase` has caught up with the log's head. */
export async function settled(workerBase: string): Promise<void> {
  let last = '';
  await eventually(
    'every processor caught up',
    async () => {
      const { processors } = (await (await fetch(`${workerBase}/status`)).json()) as {
        processors: { state: string; checkpoint: string | null; head: string | null }[];
      };
      last = JSON.stringify(processors);
      return processors.every(
        (p) => p.state === 'caught-up' && p.head !== null && p.checkpoint === p.head,
      );
    },
    { timeoutMs: 20_000, intervalMs: 100, describe: () => last },
  );
}
