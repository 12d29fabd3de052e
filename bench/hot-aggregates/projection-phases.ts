import { record, type Report } from '../support/report';
import { measureSagaBacklog, type SagaBacklogCase } from './saga-backlog-phase';

/** Issue 10: a backlog settles at >= 1,000 orders/s, over many SKUs or one. */
const SETTLE_GOAL = 1_000;

export interface ProjectionPhaseOptions {
  report: Report;
  dataDir: string;
  /** Orders of the many-SKU backlog (issue: 20,000 over 50 SKUs) and of the one-SKU one (5,000). */
  manySkuOrders: number;
  oneSkuOrders: number;
}

/** The saga settling a backlog: the projection side of the hot-aggregates benchmark. */
export async function sagaBacklogPhases(options: ProjectionPhaseOptions): Promise<void> {
  const cases: SagaBacklogCase[] = [
    {
      label: `${options.manySkuOrders} orders over 50 SKUs`,
      orders: options.manySkuOrders,
      skus: 50,
      maxLines: 3,
    },
    {
      label: `${options.oneSkuOrders} orders of one SKU`,
      orders: options.oneSkuOrders,
      skus: 1,
      maxLines: 1,
    },
  ];
  for (const backlog of cases) {
    const figures = await measureSagaBacklog(options.dataDir, backlog);
    record(options.report, {
      name: `saga settles a backlog of ${backlog.label}`,
      value: figures.ordersPerSecond,
      unit: 'orders/s',
      baseline: figures.plainOrdersPerSecond,
      goal: { atLeast: SETTLE_GOAL },
    });
    record(options.report, {
      name: `  time to settle, ${backlog.label}`,
      value: figures.seconds,
      unit: `s (${figures.confirmed} confirmed, ${figures.rejected} rejected, ${figures.commandsPerOrder.toFixed(2)} commands per order)`,
    });
    record(options.report, {
      name: `  longest batch / heartbeat gap, ${backlog.label}`,
      value: figures.longestBatchMs,
      unit: `ms (longest heartbeat gap ${figures.longestHeartbeatGapMs} ms)`,
    });
  }
}
