import { context, SpanKind, trace, type Attributes } from '@opentelemetry/api';
import { isTracingSuppressed } from '@opentelemetry/core';
import { aroundMethods, type AsyncMethodOf } from '../ports/around-methods';
import type { Tracing } from './tracing';

/**
 * Our own client spans for a port whose client has no OpenTelemetry instrumentation (the
 * embedded SQLite stores, EventStoreDB's gRPC client): each of `methods` runs in a span named
 * `<component> <method>`. With tracing off the adapter is returned as it is, so off costs nothing.
 * Streaming reads (`readAll`, subscriptions) are left out on purpose: no span per event. A call
 * outside any span (a poll, a heartbeat) gets none, as the instrumentations' `requireParentSpan`:
 * it would only start a stray trace of its own.
 */
export function withSpans<T extends object>(
  tracing: Tracing,
  target: T,
  component: string,
  methods: readonly AsyncMethodOf<T>[],
  attributes: Attributes = {},
): T {
  if (!tracing.enabled) return target;
  return aroundMethods(target, methods, (method, call) =>
    trace.getActiveSpan() === undefined || isTracingSuppressed(context.active())
      ? call()
      : tracing.inSpan(`${component} ${method}`, call, {
          kind: SpanKind.CLIENT,
          attributes: { ...attributes, 'db.operation.name': method },
        }),
  );
}
