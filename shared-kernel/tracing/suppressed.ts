import { context } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';

/**
 * Runs `work` with tracing suppressed: no span of ours (`withSpans` stores) and none of the
 * instrumentations' (MongoDB, ioredis, ...) starts inside it. For long runs that are one span
 * with counts (a rebuild) rather than a span per batch; with tracing off it is a plain call.
 */
export function withoutSpans<T>(work: () => T): T {
  return context.with(suppressTracing(context.active()), work);
}
