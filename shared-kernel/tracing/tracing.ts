import {
  context,
  INVALID_SPAN_CONTEXT,
  ROOT_CONTEXT,
  SpanStatusCode,
  trace,
  type Link,
  type Span,
  type SpanOptions,
  type Tracer,
} from '@opentelemetry/api';
import { extractSpanContext, injectTraceContext, type TraceContextFields } from './trace-context';

/**
 * A process's tracing, made once by its composition root (`startTracing`) and passed to what
 * needs it. Off, every method costs a function call: no span, no context switch, no exporter.
 */
export interface Tracing {
  readonly enabled: boolean;
  /** The active span's W3C fields, to store in the metadata of the events a command appends. */
  currentTraceContext(): TraceContextFields;
  /** Runs `work` in a new span, a child of the active one (returns what `work` returns). */
  inSpan<T>(name: string, work: (span: Span) => T, options?: SpanOptions): T;
  /**
   * A span, child of the active one, around synchronous `work` that starts no span of its own
   * (the decider): the span is never made active, which saves a context switch per call.
   */
  leafSpan<T>(name: string, work: () => T): T;
  /** Runs `work` in a new span that is a child of the span recorded in `recorded`. */
  continueFrom<T>(
    name: string,
    recorded: TraceContextFields | undefined,
    work: (span: Span) => T,
    options?: SpanOptions,
  ): T;
  /**
   * Runs `work` in a new root span linked to each distinct span recorded in `recorded` (a
   * projection batch applies events of many traces). The SDK keeps the first 128 links.
   */
  linkedTo<T>(
    name: string,
    recorded: Iterable<TraceContextFields | undefined>,
    work: (span: Span) => T,
    options?: SpanOptions,
  ): T;
  /** Exports what is buffered and stops; a no-op when off. */
  shutdown(): Promise<void>;
}

const NO_SPAN: Span = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

export const TRACING_OFF: Tracing = {
  enabled: false,
  currentTraceContext: () => ({}),
  inSpan: (_name, work) => work(NO_SPAN),
  leafSpan: (_name, work) => work(),
  continueFrom: (_name, _recorded, work) => work(NO_SPAN),
  linkedTo: (_name, _recorded, work) => work(NO_SPAN),
  shutdown: async () => undefined,
};

/** Ends `span` when `result` settles (or now, for a plain value), recording a failure. */
function endWith<T>(span: Span, result: T): T {
  if (result instanceof Promise) {
    return result.then(
      (value: unknown) => {
        span.end();
        return value;
      },
      (error: unknown) => {
        failed(span, error);
        throw error;
      },
    ) as T;
  }
  span.end();
  return result;
}

/** Runs `work` for `span` and ends it with the outcome: a value, a settled promise or a throw. */
function endAfter<T>(span: Span, work: () => T): T {
  try {
    return endWith(span, work());
  } catch (error) {
    failed(span, error);
    throw error;
  }
}

function failed(span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({ code: SpanStatusCode.ERROR, message: String(error) });
  span.end();
}

/** The span helpers on `tracer`, with `shutdown` from whoever started the SDK. */
export function tracingWith(tracer: Tracer, shutdown: () => Promise<void>): Tracing {
  const run = <T>(
    name: string,
    options: SpanOptions,
    parent: typeof ROOT_CONTEXT,
    work: (span: Span) => T,
  ): T => tracer.startActiveSpan(name, options, parent, (span) => endAfter(span, () => work(span)));
  return {
    enabled: true,
    currentTraceContext: () => injectTraceContext(),
    inSpan: (name, work, options = {}) => run(name, options, context.active(), work),
    leafSpan: (name, work) => endAfter(tracer.startSpan(name), work),
    continueFrom(name, recorded, work, options = {}) {
      const parent = extractSpanContext(recorded);
      const from = parent ? trace.setSpanContext(ROOT_CONTEXT, parent) : ROOT_CONTEXT;
      return run(name, options, from, work);
    },
    linkedTo(name, recorded, work, options = {}) {
      const links = new Map<string, Link>();
      for (const fields of recorded) {
        const spanContext = extractSpanContext(fields);
        if (spanContext)
          links.set(`${spanContext.traceId}-${spanContext.spanId}`, { context: spanContext });
      }
      const linked = {
        ...options,
        root: true,
        links: [...(options.links ?? []), ...links.values()],
      };
      return run(name, linked, context.active(), work);
    },
    shutdown,
  };
}
