import { context, propagation, ProxyTracerProvider, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter as OTLPJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OTLPProtobufExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  SimpleSpanProcessor,
  TraceIdRatioBasedSampler,
  type Sampler,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { assertNever } from '../decider';
import type { Logger } from '../logging/logger';
import { tracesUrl, type TracingConfig } from './config';
import { instrumentLoadedModules, strataInstrumentations } from './instrumentations';
import { TRACING_OFF, tracingWith, type Tracing } from './tracing';

export interface TracingOptions {
  /** `service.name` unless OTEL_SERVICE_NAME says otherwise: `command-api`, `query-api`, ... */
  service: string;
  logger: Logger;
  /** Tests: spans go here, each as it ends, instead of to an OTLP endpoint. */
  exporter?: SpanExporter;
}

/**
 * Starts OpenTelemetry for the process, or not: with no OTLP endpoint (or OTEL_SDK_DISABLED,
 * OTEL_TRACES_EXPORTER=none) it returns TRACING_OFF and registers nothing. On, it registers the
 * tracer provider, the W3C trace-context propagator and the instrumentations globally (OTel's
 * API is process-wide); `shutdown()` exports what is left and undoes all of it.
 *
 * Call it first in `main()`, before the app and the clients are built.
 */
export function startTracing(config: TracingConfig, options: TracingOptions): Tracing {
  const url = tracesUrl(config);
  if (!options.exporter && url === null) return TRACING_OFF;
  const service = config.otelServiceName ?? options.service;
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': service }),
    sampler: sampler(config),
    spanProcessors: [
      options.exporter
        ? new SimpleSpanProcessor(options.exporter)
        : new BatchSpanProcessor(otlpExporter(config, url!)),
    ],
  });
  provider.register({ propagator: new W3CTraceContextPropagator() });
  const global = trace.getTracerProvider();
  if (!(global instanceof ProxyTracerProvider) || global.getDelegate() !== provider) {
    void provider.shutdown();
    throw new Error('tracing is already started in this process; shut it down first');
  }
  const instrumentations = strataInstrumentations();
  const unregister = registerInstrumentations({ tracerProvider: provider, instrumentations });
  instrumentLoadedModules(instrumentations);
  options.logger.info('tracing on', { service, exporter: options.exporter ? 'test' : url });
  const tracer = provider.getTracer('strata');
  return tracingWith(tracer, async () => {
    unregister();
    // A collector that is down must not fail the process's shutdown: the spans are lost, said once.
    await provider.shutdown().catch((error: unknown) => {
      options.logger.warn('tracing: spans still buffered could not be exported', {
        error: String(error),
      });
    });
    trace.disable();
    context.disable();
    propagation.disable();
  });
}

function otlpExporter(config: TracingConfig, url: string): SpanExporter {
  const protocol = config.otelTracesProtocol ?? config.otelProtocol;
  return protocol === 'http/protobuf'
    ? new OTLPProtobufExporter({ url })
    : new OTLPJsonExporter({ url });
}

function sampler(config: TracingConfig): Sampler {
  const ratio = () => new TraceIdRatioBasedSampler(config.otelTracesSamplerArg);
  switch (config.otelTracesSampler) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return ratio();
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: ratio() });
    default:
      return assertNever(config.otelTracesSampler, 'sampler');
  }
}
