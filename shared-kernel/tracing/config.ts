import {
  booleanVar,
  oneOfVar,
  optionalOneOfVar,
  optionalStringVar,
  ratioVar,
  urlVar,
  type ConfigOf,
} from '../config/env';

/** OTLP over HTTP; gRPC is not offered (no gRPC exporter is installed). */
export const PROTOCOLS = ['http/json', 'http/protobuf'] as const;

export const SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;

/**
 * OpenTelemetry's standard variables, as every OTel SDK reads them, validated here once with the
 * rest of a process's configuration. Unlike the spec's default (`localhost:4318`), no endpoint
 * means tracing is off: nothing is started, as with every other server Strata talks to.
 */
export const tracingConfig = {
  otelSdkDisabled: booleanVar('OTEL_SDK_DISABLED', false),
  otelServiceName: optionalStringVar('OTEL_SERVICE_NAME', 'a service name'),
  /** Base URL: spans go to `<endpoint>/v1/traces`. */
  otelEndpoint: urlVar('OTEL_EXPORTER_OTLP_ENDPOINT', ['http:', 'https:']),
  /** Full URL for spans, when they go elsewhere than the base endpoint. */
  otelTracesEndpoint: urlVar('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', ['http:', 'https:']),
  otelTracesExporter: oneOfVar('OTEL_TRACES_EXPORTER', ['otlp', 'none'] as const, 'otlp'),
  /**
   * OTLP over HTTP as JSON (the default: about 5% less CPU per command than protobuf here,
   * measured with the tracing benchmark's setup) or as protobuf (a third of the bytes).
   */
  otelProtocol: oneOfVar('OTEL_EXPORTER_OTLP_PROTOCOL', PROTOCOLS, 'http/json'),
  otelTracesProtocol: optionalOneOfVar('OTEL_EXPORTER_OTLP_TRACES_PROTOCOL', PROTOCOLS),
  otelTracesSampler: oneOfVar('OTEL_TRACES_SAMPLER', SAMPLERS, 'parentbased_always_on'),
  /** The probability of the `*traceidratio` samplers. */
  otelTracesSamplerArg: ratioVar('OTEL_TRACES_SAMPLER_ARG', 1),
};

export type TracingConfig = ConfigOf<typeof tracingConfig>;

/** Where spans go (OTLP over HTTP), or null when tracing is off. */
export function tracesUrl(config: TracingConfig): string | null {
  if (config.otelSdkDisabled || config.otelTracesExporter === 'none') return null;
  if (config.otelTracesEndpoint) return config.otelTracesEndpoint;
  if (config.otelEndpoint) return `${config.otelEndpoint.replace(/\/+$/, '')}/v1/traces`;
  return null;
}
