import { integerVar } from '../config/env';

/**
 * When a circuit breaker opens and how long it stays open, the same for every dependency of a
 * process (each composition root spreads this into its config and passes the values on).
 */
export const circuitBreakerConfig = {
  /** Consecutive failures (or timeouts) of one dependency that open its breaker. */
  breakerFailures: integerVar('STRATA_BREAKER_FAILURES', 5, { min: 1, max: 1_000 }),
  /** How long an open breaker fails calls fast before it lets one trial call through. */
  breakerOpenMs: integerVar('STRATA_BREAKER_OPEN_MS', 2_000, { min: 50, max: 600_000 }),
};

export interface CircuitBreakerSettings {
  breakerFailures: number;
  breakerOpenMs: number;
}
