import { auditTrailPhase } from './audit-trail-phase';
import type { HotAggregatesPhase } from './bench-context';
import { concurrentWritersPhase } from './concurrent-writers-phase';
import { historyLatencyPhase } from './history-latency-phase';
import { sagaBacklogPhase, sagaLatencyPhase } from './saga-phases';

/** The phases `bench/hot-aggregates.ts` runs, in order; each records into the one report. */
export const HOT_AGGREGATE_PHASES: readonly HotAggregatesPhase[] = [
  historyLatencyPhase,
  concurrentWritersPhase,
  sagaBacklogPhase,
  sagaLatencyPhase,
  auditTrailPhase,
];
