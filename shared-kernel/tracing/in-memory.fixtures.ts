import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { createLogger } from '../logging/logger';
import { tracingConfig, type TracingConfig } from './config';
import { readConfig, type Env } from '../config/env';
import { startTracing } from './start';
import type { Tracing } from './tracing';

/**
 * Test harness: tracing on, every span kept in memory as it ends (the SDK's in-memory exporter),
 * for specs that assert whole trees (POST /orders -> append -> saga -> batches -> Kafka). Start it
 * before building the app or clients under test; `stop()` unregisters everything again, so
 * one mocha process can run traced and untraced specs.
 */
export interface InMemoryTracing {
  tracing: Tracing;
  /** Every finished span so far, in the order they ended. */
  spans(): ReadableSpan[];
  /** The finished spans of one trace. */
  trace(traceId: string): ReadableSpan[];
  /** The spans whose parent is `span`. */
  children(span: ReadableSpan): ReadableSpan[];
  /** One trace as an indented tree of span names, for assertion messages. */
  describe(traceId: string): string;
  reset(): void;
  stop(): Promise<void>;
}

/** `env` may set the OTEL_* sampler variables; the exporter is always the in-memory one. */
export function startInMemoryTracing(service = 'test', env: Env = {}): InMemoryTracing {
  const exporter = new InMemorySpanExporter();
  const config: TracingConfig = readConfig(env, tracingConfig);
  const logger = createLogger({ service, level: 'error', format: 'json' });
  const tracing = startTracing(config, { service, logger, exporter });
  const spans = () => exporter.getFinishedSpans();
  const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;
  const inTrace = (traceId: string) => spans().filter((s) => s.spanContext().traceId === traceId);
  const children = (span: ReadableSpan) =>
    inTrace(span.spanContext().traceId).filter((s) => parentOf(s) === span.spanContext().spanId);
  return {
    tracing,
    spans,
    trace: inTrace,
    children,
    describe(traceId) {
      const all = inTrace(traceId);
      const ids = new Set(all.map((s) => s.spanContext().spanId));
      const lines: string[] = [];
      const walk = (span: ReadableSpan, depth: number) => {
        lines.push(`${'  '.repeat(depth)}${span.name}`);
        for (const child of children(span)) walk(child, depth + 1);
      };
      for (const root of all.filter((s) => !ids.has(parentOf(s) ?? ''))) walk(root, 0);
      return lines.join('\n');
    },
    reset: () => exporter.reset(),
    stop: () => tracing.shutdown(),
  };
}
