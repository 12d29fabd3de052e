import { Counter, Gauge, type Registry } from 'prom-client';

/** Ordered by severity, so `max` over instances or a time range is the worst state seen. */
export const BREAKER_STATE_VALUES = { closed: 0, 'half-open': 1, open: 2 } as const;
export type BreakerState = keyof typeof BREAKER_STATE_VALUES;

export interface ObservedBreaker {
  dependency: string;
  state: BreakerState;
}

/** Told by a breaker each time it fails a call fast. */
export interface BreakerObserver {
  rejected(dependency: string): void;
}

/**
 * Per dependency: the breaker's state (read at scrape time, so an open breaker nobody calls still
 * shows as open, or as half-open once its open duration is over) and the calls it failed fast.
 */
export function circuitBreakerMetrics(
  registry: Registry,
  breakers: () => Iterable<ObservedBreaker>,
): BreakerObserver {
  new Gauge({
    name: 'strata_circuit_breaker_state',
    help: 'Circuit breaker state per dependency: 0 closed, 1 half-open, 2 open',
    labelNames: ['dependency'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const { dependency, state } of breakers()) {
        this.set({ dependency }, BREAKER_STATE_VALUES[state]);
      }
    },
  });
  const rejected = new Counter({
    name: 'strata_circuit_breaker_rejected_calls_total',
    help: 'Calls failed fast by an open (or trialling) circuit breaker, per dependency',
    labelNames: ['dependency'] as const,
    registers: [registry],
  });
  return { rejected: (dependency) => rejected.inc({ dependency }) };
}
