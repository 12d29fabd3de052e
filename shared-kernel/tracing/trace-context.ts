import {
  context,
  propagation,
  ROOT_CONTEXT,
  trace,
  type Context,
  type SpanContext,
} from '@opentelemetry/api';

/**
 * The W3C trace context as it is kept in an event's metadata (and sent in a `traceparent` /
 * `tracestate` header): the context of the span in which the event was appended, so that work
 * the event causes later, in another process, joins or links to that trace.
 */
export interface TraceContextFields {
  traceparent?: string;
  tracestate?: string;
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** The active context's fields, through the registered W3C propagator ({} with none). */
export function injectTraceContext(from: Context = context.active()): TraceContextFields {
  const carrier: Record<string, string> = {};
  propagation.inject(from, carrier);
  const fields: TraceContextFields = {};
  if (carrier.traceparent) fields.traceparent = carrier.traceparent;
  if (carrier.tracestate) fields.tracestate = carrier.tracestate;
  return fields;
}

/** The remote span context recorded in `fields`, or null when absent or malformed. */
export function extractSpanContext(fields: TraceContextFields | undefined): SpanContext | null {
  if (!fields?.traceparent) return null;
  const extracted = propagation.extract(ROOT_CONTEXT, { ...fields });
  const spanContext = trace.getSpanContext(extracted);
  return spanContext && trace.isSpanContextValid(spanContext) ? spanContext : null;
}

/** The trace id in `fields` (for the audit history and logs), or null. */
export function traceIdOf(fields: TraceContextFields | undefined): string | null {
  const match = TRACEPARENT.exec(fields?.traceparent ?? '');
  return match && !/^0+$/.test(match[2]!) ? match[2]! : null;
}

/**
 * The CloudEvents distributed-tracing extension of a message, as Kafka binary mode writes
 * extension attributes (`ce_` headers): the trace the event was created in, unchanged however
 * many hops the message makes. The transport's own `traceparent` header is the kafkajs
 * instrumentation's, the context of the send.
 */
export function cloudEventTraceHeaders(fields: TraceContextFields | undefined): {
  ce_traceparent?: string;
  ce_tracestate?: string;
} {
  if (!fields?.traceparent || traceIdOf(fields) === null) return {};
  return {
    ce_traceparent: fields.traceparent,
    ...(fields.tracestate ? { ce_tracestate: fields.tracestate } : {}),
  };
}
