import fs from 'node:fs';
import path from 'node:path';
import { openSqliteEventStore } from '../../shared-kernel/event-store/sqlite';
import type { CommandRequest } from '../../write-side/command-handling/command-request';
import {
  embeddedWorkerEnv,
  startWorkerProcess,
  workerSettled,
} from '../../test/support/worker-process';
import { createLatencyRecorder, type LatencySummary } from '../support/measure';
import { seededRandom } from '../projections/seeded-random';
import { openBacklogShop, placeOrderRequest } from './order-backlog';
import { plainDependentCommitsMs } from './saga-facts';

export interface SagaLatencyCase {
  ordersPerSecond: number;
  seconds: number;
  skus: number;
}

export interface SagaLatencyFigures {
  orders: number;
  achievedPerSecond: number;
  /** OrderPlaced recorded -> OrderConfirmed recorded, per confirmed order. */
  placedToConfirmed: LatencySummary;
  /** `/readyz` answers during the run, and how many were not 200. */
  readyChecks: number;
  notReady: number;
  /** Raw: the same three dependent durable commits (placed, reserved, confirmed) back to back. */
  plainChain: LatencySummary;
}

/**
 * Customers place orders at a steady rate (open loop, through the real command handler in this
 * process) while the compiled projection worker runs every processor on the same embedded log,
 * as `make run` has it. Each order's latency is read from the log afterwards: the time its
 * OrderPlaced was recorded to the time the saga's OrderConfirmed was.
 */
export async function measurePlacedToConfirmed(
  dataDir: string,
  load: SagaLatencyCase,
): Promise<SagaLatencyFigures> {
  const dir = fs.mkdtempSync(path.join(dataDir, 'saga-latency-'));
  const eventStore = openSqliteEventStore({ dataDir: dir });
  const total = load.ordersPerSecond * load.seconds;
  const shop = await openBacklogShop(eventStore, load.skus, total * 3, 'LAT');
  const worker = await startWorkerProcess(embeddedWorkerEnv(dir));
  const readiness = { checks: 0, failures: 0 };
  const probe = setInterval(() => {
    void fetch(`http://127.0.0.1:${worker.port}/readyz`).then(
      (response) => {
        readiness.checks += 1;
        if (response.status !== 200) readiness.failures += 1;
      },
      () => (readiness.failures += 1),
    );
  }, 250);
  try {
    const head = () => eventStore.headPosition();
    await workerSettled(worker, 'fulfillment-saga', head, 60_000);
    const random = seededRandom(load.ordersPerSecond);
    const intervalMs = 1000 / load.ordersPerSecond;
    const sends: Promise<unknown>[] = [];
    const started = performance.now();
    for (let i = 0; i < total;) {
      const due = started + i * intervalMs;
      if (performance.now() < due) {
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
        continue;
      }
      // Open loop: every order due by now goes out, none waits for the one before it.
      for (; i < total && started + i * intervalMs <= performance.now(); i++) {
        sends.push(shop.dispatch(placeOrderRequest(shop, random, 3) as CommandRequest));
      }
    }
    await Promise.all(sends);
    const achievedPerSecond = total / ((performance.now() - started) / 1000);
    await workerSettled(worker, 'fulfillment-saga', head, 600_000);
    return {
      orders: total,
      achievedPerSecond,
      placedToConfirmed: await confirmationLatencies(eventStore),
      readyChecks: readiness.checks,
      notReady: readiness.failures,
      plainChain: plainDependentCommitsMs(dir, 3, 500),
    };
  } finally {
    clearInterval(probe);
    await worker.stop();
    await eventStore.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function confirmationLatencies(
  eventStore: ReturnType<typeof openSqliteEventStore>,
): Promise<LatencySummary> {
  const placedAt = new Map<string, number>();
  const latencies = createLatencyRecorder();
  for await (const event of eventStore.readAll()) {
    const orderId = (event.data as { orderId?: string }).orderId;
    if (orderId === undefined) continue;
    if (event.type === 'OrderPlaced') placedAt.set(orderId, Date.parse(event.recordedAt));
    if (event.type === 'OrderConfirmed') {
      const placed = placedAt.get(orderId);
      if (placed !== undefined) latencies.record(Date.parse(event.recordedAt) - placed);
    }
  }
  return latencies.summary();
}
