import { record } from '../support/report';
import type { HotAggregatesPhase } from './bench-context';
import { measureSagaBacklog, type SagaBacklogCase } from './saga-backlog';
import { measurePlacedToConfirmed } from './saga-latency';

/** Issue 10: a backlog settles at >= 1,000 orders/s, over many SKUs or one. */
const SETTLE_GOAL = 1_000;
/** Issue 10: at 500 orders/s sustained, order placed -> order confirmed p99 <= 1 s. */
const PLACED_TO_CONFIRMED_P99_MS = 1_000;

/** The saga settling a backlog: 20,000 orders over 50 SKUs, and 5,000 orders of one SKU. */
export const sagaBacklogPhase: HotAggregatesPhase = {
  name: 'saga-backlog',
  title: 'the fulfillment saga settling a backlog of placed orders',
  async run({ report, dataDir, options }) {
    const many = options.integer('many-sku-orders', 20_000);
    const one = options.integer('one-sku-orders', 5_000);
    const cases: SagaBacklogCase[] = [
      { label: `${many} orders over 50 SKUs`, orders: many, skus: 50, maxLines: 3 },
      { label: `${one} orders of one SKU`, orders: one, skus: 1, maxLines: 1 },
    ];
    for (const backlog of cases) {
      const figures = await measureSagaBacklog(dataDir, backlog);
      record(report, {
        name: `saga settles a backlog of ${backlog.label}`,
        value: figures.ordersPerSecond,
        unit: 'orders/s',
        baseline: figures.plainOrdersPerSecond,
        goal: { atLeast: SETTLE_GOAL },
      });
      record(report, {
        name: `  time to settle, ${backlog.label}`,
        value: figures.seconds,
        unit: `s (${figures.confirmed} confirmed, ${figures.rejected} rejected, ${figures.commandsPerOrder.toFixed(2)} events appended per order)`,
      });
      record(report, {
        name: `  CPU per order, ${backlog.label}`,
        value: figures.cpuMicrosPerOrder,
        unit: 'µs',
      });
      record(report, {
        name: `  longest batch, ${backlog.label}`,
        value: figures.longestBatchMs,
        unit: `ms (longest heartbeat gap ${figures.longestHeartbeatGapMs} ms)`,
      });
    }
  },
};

/**
 * Placed -> confirmed through the worker process while orders arrive at a steady rate, for each
 * of `--latency-seconds`: a short run and a sustained one, since a cost that grows with the
 * backlog (a hot SKU's open reservations) shows only in the second.
 */
export const sagaLatencyPhase: HotAggregatesPhase = {
  name: 'saga-latency',
  title: 'order placed -> confirmed while orders arrive at a steady rate',
  async run({ report, dataDir, options }) {
    const ordersPerSecond = options.integer('latency-rate', 500);
    for (const seconds of options.integers('latency-seconds', [20, 180])) {
      const figures = await measurePlacedToConfirmed(dataDir, {
        ordersPerSecond,
        seconds,
        skus: 50,
      });
      const { placedToConfirmed: lag } = figures;
      record(report, {
        name: `order placed -> confirmed p99, ${ordersPerSecond} orders/s for ${seconds} s`,
        value: lag.p99,
        unit: `ms (p50 ${lag.p50} ms, max ${lag.max} ms, ${lag.count} orders, ${Math.round(figures.achievedPerSecond)} orders/s achieved)`,
        baseline: figures.plainChain.p99,
        goal: { atMost: PLACED_TO_CONFIRMED_P99_MS },
      });
      record(report, {
        name: '  worker /readyz answers not 200 during that run',
        value: figures.notReady,
        unit: `of ${figures.readyChecks}`,
        goal: { atMost: 0 },
      });
    }
  },
};
