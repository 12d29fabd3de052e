import type { Logger } from '../logging/logger';
import type { TracingConfig } from './config';
import { startTracing } from './start';
import type { Tracing } from './tracing';

/** What a test may hand a composition root instead of what it would make from its config. */
export interface ProcessOverrides {
  /**
   * Tracing already started in this process (the in-memory exporter of a spec running the
   * command API and the worker side by side, which OTel's one global provider needs).
   */
  tracing?: Tracing;
}

export interface ProcessTracing {
  tracing: Tracing;
  /** Shuts down the tracing this process started; one handed in stays with its owner. */
  shutdown(): Promise<void>;
}

/** A composition root's tracing: started from its config first thing, or the one handed in. */
export function processTracing(
  config: TracingConfig,
  options: { service: string; logger: Logger },
  overrides: ProcessOverrides = {},
): ProcessTracing {
  if (overrides.tracing) return { tracing: overrides.tracing, shutdown: async () => undefined };
  const tracing = startTracing(config, options);
  return { tracing, shutdown: () => tracing.shutdown() };
}
