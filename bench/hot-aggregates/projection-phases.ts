import { record, type Report } from '../support/report';
import { measureAuditTrail } from './audit-phase';
import type { HotAggregate } from './hot-history';
import { measureSagaBacklog, type SagaBacklogCase } from './saga-backlog-phase';
import { measurePlacedToConfirmed } from './saga-latency-phase';

/** Issue 10: a backlog settles at >= 1,000 orders/s, over many SKUs or one. */
const SETTLE_GOAL = 1_000;

/** Issue 10: at 500 orders/s sustained, order placed -> order confirmed p99 <= 1 s. */
const PLACED_TO_CONFIRMED_P99_MS = 1_000;
/** Issue 10: audit bytes per event at the large size within 1.5x of the small one. */
const AUDIT_GROWTH_GOAL = 1.5;
/** Issue 10: p99 of a state-as-of query on a 1,000,000-event aggregate. */
const STATE_QUERY_P99_MS = 50;

export interface ProjectionPhaseOptions {
  report: Report;
  dataDir: string;
  /** Events in the history of the one audited aggregate: issue 10 compares 10,000 and 1,000,000. */
  auditSmall: number;
  auditLarge: number;
  stateQueries: number;
  /** The sustained load of the latency phase: issue 10 says 500 orders/s. */
  latencyRate: number;
  latencySeconds: number;
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

/** The audit trail of one busy aggregate at two sizes: bytes per event, and state queries. */
export async function auditPhases(options: ProjectionPhaseOptions, aggregate: HotAggregate) {
  const { report } = options;
  const small = await measureAuditTrail(options.dataDir, aggregate, options.auditSmall, 0);
  const large = await measureAuditTrail(
    options.dataDir,
    aggregate,
    options.auditLarge,
    options.stateQueries,
  );
  for (const { trail } of [small, large]) {
    record(report, {
      name: `audit bytes per event, one ${aggregate} with ${trail.events} events`,
      value: trail.bytesPerEvent,
      unit: `bytes (folded at ${Math.round(trail.eventsPerSecond)} events/s)`,
      baseline: trail.plainBytesPerEvent,
    });
  }
  record(report, {
    name: `  audit bytes per event, ${options.auditLarge} / ${options.auditSmall} events (${aggregate})`,
    value: large.trail.bytesPerEvent / small.trail.bytesPerEvent,
    unit: 'x',
    goal: { atMost: AUDIT_GROWTH_GOAL },
  });
  const queries = large.queries!;
  for (const [what, summary] of [
    ['a version', queries.byVersion],
    ['a time (asOf)', queries.asOf],
  ] as const) {
    record(report, {
      name: `state as of ${what}, p99, ${aggregate} with ${options.auditLarge} events`,
      value: summary.p99,
      unit: `ms (p50 ${summary.p50.toFixed(2)} ms, ${summary.count} queries)`,
      baseline: queries.singleRead.p99,
      goal: { atMost: STATE_QUERY_P99_MS },
    });
  }
}

/** Placed -> confirmed through the worker process while orders arrive at a steady rate. */
export async function sagaLatencyPhase(options: ProjectionPhaseOptions): Promise<void> {
  const load = { ordersPerSecond: options.latencyRate, seconds: options.latencySeconds, skus: 50 };
  const figures = await measurePlacedToConfirmed(options.dataDir, load);
  const { placedToConfirmed: lag } = figures;
  record(options.report, {
    name: `order placed -> confirmed p99, ${load.ordersPerSecond} orders/s for ${load.seconds} s`,
    value: lag.p99,
    unit: `ms (p50 ${lag.p50} ms, max ${lag.max} ms, ${lag.count} orders, ${Math.round(figures.achievedPerSecond)} orders/s achieved)`,
    baseline: figures.plainChain.p99,
    goal: { atMost: PLACED_TO_CONFIRMED_P99_MS },
  });
  record(options.report, {
    name: '  worker /readyz answers not 200 during that run',
    value: figures.notReady,
    unit: `of ${figures.readyChecks}`,
    goal: { atMost: 0 },
  });
}
