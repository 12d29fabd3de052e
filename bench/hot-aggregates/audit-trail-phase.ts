import { record } from '../support/report';
import { measureAuditTrail } from './audit-trail';
import type { HotAggregatesPhase } from './bench-context';
import type { HotAggregate } from './hot-history';

/** Issue 10: audit bytes per event at the large size within 1.5x of the small one. */
const AUDIT_GROWTH_GOAL = 1.5;
/** Issue 10: p99 of a state-as-of query on a 1,000,000-event aggregate. */
const STATE_QUERY_P99_MS = 50;

/**
 * The audit trail of one busy aggregate at two sizes (issue 10: 10,000 and 1,000,000 events):
 * bytes per event at each, and state-as-of queries at the larger. The stock item, a bestseller
 * serving an order per two events, is the case that grew quadratically; a product whose price
 * changes at every event is the plain one.
 */
export const auditTrailPhase: HotAggregatesPhase = {
  name: 'audit',
  title: 'the audit trail of one aggregate with a long history',
  async run({ report, dataDir, options }) {
    const small = options.integer('audit-small', 10_000);
    const large = options.integer('audit-large', 1_000_000);
    const queries = options.integer('state-queries', 1_000);
    const aggregates = options.string('audit-aggregates', 'stock,product').split(',');
    for (const aggregate of aggregates as HotAggregate[]) {
      const smaller = await measureAuditTrail(dataDir, aggregate, small, 0);
      const larger = await measureAuditTrail(dataDir, aggregate, large, queries);
      for (const { trail } of [smaller, larger]) {
        record(report, {
          name: `audit bytes per event, one ${aggregate} with ${trail.events} events`,
          value: trail.bytesPerEvent,
          unit: `bytes (folded at ${Math.round(trail.eventsPerSecond)} events/s)`,
          baseline: trail.plainBytesPerEvent,
        });
      }
      record(report, {
        name: `  audit bytes per event, ${large} / ${small} events (${aggregate})`,
        value: larger.trail.bytesPerEvent / smaller.trail.bytesPerEvent,
        unit: 'x',
        goal: { atMost: AUDIT_GROWTH_GOAL },
      });
      const figures = larger.queries!;
      for (const [what, summary] of [
        ['a version', figures.byVersion],
        ['a time (asOf)', figures.asOf],
      ] as const) {
        record(report, {
          name: `state as of ${what}, p99, ${aggregate} with ${large} events`,
          value: summary.p99,
          unit: `ms (p50 ${summary.p50.toFixed(2)} ms, ${summary.count} queries)`,
          baseline: figures.singleRead.p99,
          goal: { atMost: STATE_QUERY_P99_MS },
        });
      }
    }
  },
};
