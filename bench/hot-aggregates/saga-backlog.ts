import fs from 'node:fs';
import path from 'node:path';
import { openSqliteDocumentStore } from '../../shared-kernel/document-store/sqlite/sqlite-document-store';
import { openSqliteEventStore } from '../../shared-kernel/event-store/sqlite';
import { DEAD_LETTERS } from '../../projections/engine/dead-letters';
import { createRunner } from '../../projections/engine/runner';
import { sagaProcessor } from '../../projections/processors/saga-processor';
import { domainEventUpcasting } from '../../write-side/aggregates';
import { createCommandHandler } from '../../write-side/command-handling/command-handler';
import { runnerOptions } from '../projections/bench-context';
import { cpuMicros } from '../support/measure';
import { seededRandom } from '../projections/seeded-random';
import { openBacklogShop, placeBacklog } from './order-backlog';
import { countOutcomes, plainCommitsPerSecond } from './saga-facts';

export interface SagaBacklogCase {
  label: string;
  orders: number;
  skus: number;
  /** Lines per order, 1 to this many (distinct products). */
  maxLines: number;
}

export interface SagaBacklogFigures {
  orders: number;
  seconds: number;
  ordersPerSecond: number;
  confirmed: number;
  rejected: number;
  /** Commands the saga ran (events it appended), per order. */
  commandsPerOrder: number;
  /** CPU time of this process per order while settling: steadier than rates on a busy machine. */
  cpuMicrosPerOrder: number;
  /** Longest batch, and longest gap between two heartbeats seen while it worked. */
  longestBatchMs: number;
  longestHeartbeatGapMs: number;
  /** The same commits done the plain way: one durable better-sqlite3 transaction each. */
  plainOrdersPerSecond: number;
}

/**
 * A backlog of placed orders (nothing decided yet), then the saga started on it as the worker
 * runs it (a runner over its own subscription, the worker's batch settings) and timed until
 * it has reached the head of the log: every order confirmed or rejected.
 */
export async function measureSagaBacklog(
  dataDir: string,
  backlog: SagaBacklogCase,
): Promise<SagaBacklogFigures> {
  const dir = fs.mkdtempSync(path.join(dataDir, 'saga-'));
  const eventStore = openSqliteEventStore({ dataDir: dir });
  const store = openSqliteDocumentStore({ file: path.join(dir, 'read-models.db') });
  try {
    const units = backlog.orders * backlog.maxLines;
    const shop = await openBacklogShop(eventStore, backlog.skus, units, 'SAGA');
    await placeBacklog(shop, backlog.orders, seededRandom(backlog.orders), backlog.maxLines);
    const upcasting = domainEventUpcasting();
    // The worker's own handler, as in its process: none of the states the placements folded.
    const sagaHandler = createCommandHandler({ store: eventStore, upcasting, logger: shop.logger });
    const spec = sagaProcessor(sagaHandler, shop.logger);
    for (const collection of [DEAD_LETTERS, ...spec.projection.collections]) {
      await store.ensureCollection(collection);
    }
    const placedHead = await eventStore.headPosition();
    const runner = createRunner({
      eventStore,
      store,
      spec,
      upcast: (event) => upcasting.upcast(event),
      logger: shop.logger,
      options: runnerOptions(1000),
    });
    let longestBatchMs = 0;
    let longestHeartbeatGapMs = 0;
    const started = performance.now();
    const cpu = process.cpuUsage();
    runner.start();
    try {
      for (;;) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        const status = runner.status();
        longestBatchMs = Math.max(longestBatchMs, status.lastBatchMs ?? 0);
        const gap = Date.now() - Date.parse(status.heartbeatAt);
        longestHeartbeatGapMs = Math.max(longestHeartbeatGapMs, gap);
        if (status.lastError) throw new Error(`saga failed: ${status.lastError.message}`);
        const head = await eventStore.headPosition();
        if (status.checkpoint === head && status.checkpoint !== placedHead) break;
      }
    } finally {
      await runner.stop();
    }
    const seconds = (performance.now() - started) / 1000;
    const cpuMicrosPerOrder = cpuMicros(cpu) / backlog.orders;
    const outcomes = await countOutcomes(eventStore, placedHead);
    if (outcomes.confirmed + outcomes.rejected !== backlog.orders) {
      throw new Error(
        `${backlog.label}: ${outcomes.confirmed + outcomes.rejected} of ${backlog.orders} orders decided`,
      );
    }
    const commandsPerOrder = outcomes.appended / backlog.orders;
    const plain = plainCommitsPerSecond(dir, Math.min(20_000, outcomes.appended));
    return {
      orders: backlog.orders,
      seconds,
      ordersPerSecond: backlog.orders / seconds,
      confirmed: outcomes.confirmed,
      rejected: outcomes.rejected,
      commandsPerOrder,
      cpuMicrosPerOrder,
      longestBatchMs,
      longestHeartbeatGapMs,
      plainOrdersPerSecond: plain / commandsPerOrder,
    };
  } finally {
    await store.close();
    await eventStore.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
