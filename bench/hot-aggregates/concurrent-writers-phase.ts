import http from 'node:http';
import type { RecordedEvent } from '../../shared-kernel/events/envelope';
import { openSqliteEventStore } from '../../shared-kernel/event-store/sqlite';
import { newId } from '../../shared-kernel/ids';
import { streamIdOf } from '../../write-side/aggregates';
import { startChildService } from '../support/child-service';
import { runInFlight, type LatencySummary } from '../support/measure';
import { record } from '../support/report';
import {
  COMMAND_API_SCRIPT,
  PLAIN_SERVER_SCRIPT,
  commandApiEnv,
  type HotAggregatesContext,
  type HotAggregatesPhase,
} from './bench-context';
import { timedRequest } from './http-client';
import { fillProduct } from './stock-history';

type Request = { method: 'POST'; path: string; body: unknown };

interface Storm {
  latency: LatencySummary;
  failures: Record<number, number>;
  succeeded: number;
}

/**
 * `writers` clients send unconditional commands to ONE aggregate at once, `per-writer` each:
 * price changes on one product, then receipts on one SKU. Every one must succeed, and the
 * stream must hold exactly one event per success (none applied twice).
 */
export const concurrentWritersPhase: HotAggregatesPhase = {
  name: 'writers',
  title: 'concurrent writers on one aggregate',
  async run(context) {
    const writers = context.options.integer('writers', 32);
    const perWriter = context.options.integer('per-writer', 20);
    const productId = newId();
    const sku = 'HOT-WRITERS';
    const store = openSqliteEventStore({ dataDir: context.dataDir });
    await fillProduct(store, productId, sku);
    await store.close();

    const api = await startChildService(COMMAND_API_SCRIPT, commandApiEnv(context.dataDir));
    const prices = await storm(api.port, writers, perWriter, (client, i) => ({
      method: 'POST',
      path: `/products/${productId}/price`,
      // Every amount distinct (and not the starting price), so every command appends.
      body: { price: { amount: 100_000 + client * 1_000 + i, currency: 'EUR' } },
    }));
    const receipts = await storm(api.port, writers, perWriter, () => ({
      method: 'POST',
      path: `/inventory/${sku}/receipts`,
      body: { quantity: 1 },
    }));
    await api.stop();
    const plain = await startChildService(PLAIN_SERVER_SCRIPT, { BENCH_DATA_DIR: context.dataDir });
    const baseline = await storm(plain.port, writers, perWriter, () => ({
      method: 'POST',
      path: `/inventory/${sku}/adjustments`,
      body: { quantity: 1, reason: 'baseline' },
    }));
    await plain.stop();

    const reader = openSqliteEventStore({ dataDir: context.dataDir });
    const priceEvents = await countEvents(
      reader,
      streamIdOf('product', productId),
      'ProductPriceChanged',
    );
    // One receipt was part of the product's setup.
    const receiptEvents =
      (await countEvents(reader, streamIdOf('stock', sku), 'StockReceived')) - 1;
    await reader.close();
    report(context, writers * perWriter, baseline, [
      { what: `price changes on one product`, storm: prices, stored: priceEvents },
      { what: `receipts on one SKU`, storm: receipts, stored: receiptEvents },
    ]);
  },
};

async function storm(
  port: number,
  writers: number,
  perWriter: number,
  request: (client: number, i: number) => Request,
): Promise<Storm> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: writers });
  const failures: Record<number, number> = {};
  let succeeded = 0;
  try {
    const { latency } = await runInFlight(writers, perWriter, async (client, i) => {
      const answer = await timedRequest(agent, port, { ...request(client, i), timeoutMs: 60_000 });
      if (answer.status >= 200 && answer.status <= 299) succeeded += 1;
      else failures[answer.status] = (failures[answer.status] ?? 0) + 1;
    });
    return { latency, failures, succeeded };
  } finally {
    agent.destroy();
  }
}

async function countEvents(
  store: ReturnType<typeof openSqliteEventStore>,
  streamId: string,
  type: string,
): Promise<number> {
  let count = 0;
  for await (const event of store.readStream(streamId) as AsyncIterable<RecordedEvent>) {
    if (event.type === type) count += 1;
  }
  return count;
}

function report(
  context: HotAggregatesContext,
  sent: number,
  baseline: Storm,
  storms: { what: string; storm: Storm; stored: number }[],
): void {
  const writers = context.options.integer('writers', 32);
  for (const { what, storm, stored } of storms) {
    const label = `${writers} concurrent writers, ${what}`;
    if (Object.keys(storm.failures).length > 0) {
      process.stdout.write(`  ${label}: failures by status ${JSON.stringify(storm.failures)}\n`);
    }
    record(context.report, {
      name: `${label}: succeeded`,
      value: storm.succeeded,
      unit: 'commands',
      goal: { atLeast: sent },
    });
    record(context.report, {
      name: `${label}: latency p99`,
      value: storm.latency.p99,
      unit: 'ms',
      baseline: baseline.latency.p99,
    });
    record(context.report, {
      name: `${label}: events stored minus successes (applied twice)`,
      value: stored - storm.succeeded,
      unit: 'events',
      goal: { atMost: 0 },
    });
  }
}
