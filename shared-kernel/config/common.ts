import { circuitBreakerConfig } from '../resilience/config';
import { tracingConfig } from '../tracing/config';
import { integerVar, oneOfVar, stringVar } from './env';

/** Variables every process reads; each composition root adds its own. */
export const commonConfig = {
  dataDir: stringVar('STRATA_DATA_DIR', './data'),
  logLevel: oneOfVar('LOG_LEVEL', ['error', 'warn', 'info', 'debug'] as const, 'info'),
  logFormat: oneOfVar('STRATA_LOG_FORMAT', ['auto', 'json', 'pretty'] as const, 'auto'),
  shutdownTimeoutMs: integerVar('STRATA_SHUTDOWN_TIMEOUT_MS', 10_000, { min: 100, max: 600_000 }),
  /** OTEL_*: tracing is off (nothing started) without an OTLP endpoint. */
  ...tracingConfig,
  /** STRATA_BREAKER_*: when each remote dependency's circuit breaker opens and for how long. */
  ...circuitBreakerConfig,
};
