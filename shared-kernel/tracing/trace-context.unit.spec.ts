import { expect } from 'chai';
import { ConfigError } from '../errors';
import { readConfig } from '../config/env';
import { tracesUrl, tracingConfig } from './config';
import { cloudEventTraceHeaders, traceIdOf } from './trace-context';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const TRACEPARENT = `00-${TRACE}-00f067aa0ba902b7-01`;

describe('trace context fields', () => {
  it('reads the trace id of a recorded traceparent, and nothing of a malformed or empty one', () => {
    expect(traceIdOf({ traceparent: TRACEPARENT })).to.equal(TRACE);
    expect(traceIdOf({ traceparent: `00-${'0'.repeat(32)}-00f067aa0ba902b7-01` })).to.equal(null);
    expect(traceIdOf({ traceparent: 'garbage' })).to.equal(null);
    expect(traceIdOf({})).to.equal(null);
    expect(traceIdOf(undefined)).to.equal(null);
  });

  it('writes the CloudEvents distributed-tracing extension as Kafka ce_ headers', () => {
    expect(
      cloudEventTraceHeaders({ traceparent: TRACEPARENT, tracestate: 'strata=1' }),
    ).to.deep.equal({ ce_traceparent: TRACEPARENT, ce_tracestate: 'strata=1' });
    expect(cloudEventTraceHeaders({ traceparent: TRACEPARENT })).to.deep.equal({
      ce_traceparent: TRACEPARENT,
    });
    expect(cloudEventTraceHeaders({ traceparent: 'garbage' })).to.deep.equal({});
    expect(cloudEventTraceHeaders(undefined)).to.deep.equal({});
  });
});

describe('tracing configuration (the OTEL_* variables)', () => {
  it('is off without an endpoint, and off when disabled or the exporter is none', () => {
    const url = (env: Record<string, string>) => tracesUrl(readConfig(env, tracingConfig));
    expect(url({})).to.equal(null);
    expect(url({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger:4318/' })).to.equal(
      'http://jaeger:4318/v1/traces',
    );
    expect(
      url({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://traces.example/otlp',
      }),
    ).to.equal('https://traces.example/otlp');
    expect(
      url({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://j:4318', OTEL_SDK_DISABLED: 'TRUE' }),
    ).to.equal(null);
    expect(
      url({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://j:4318', OTEL_TRACES_EXPORTER: 'none' }),
    ).to.equal(null);
  });

  it('names every bad variable', () => {
    let message = '';
    try {
      readConfig(
        {
          OTEL_TRACES_SAMPLER: 'sometimes',
          OTEL_TRACES_SAMPLER_ARG: '1.5',
          OTEL_SDK_DISABLED: 'yes',
          OTEL_EXPORTER_OTLP_ENDPOINT: 'grpc://j:4317',
          OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
        },
        tracingConfig,
      );
    } catch (error) {
      expect(error).to.be.instanceOf(ConfigError);
      message = (error as Error).message;
    }
    expect(message).to.include('OTEL_TRACES_SAMPLER: expected one of always_on, always_off');
    expect(message).to.include('OTEL_TRACES_SAMPLER_ARG: expected a number from 0 to 1, got "1.5"');
    expect(message).to.include('OTEL_SDK_DISABLED: expected true or false, got "yes"');
    expect(message).to.include('OTEL_EXPORTER_OTLP_ENDPOINT: expected a URL starting with http://');
    expect(message).to.include(
      'OTEL_EXPORTER_OTLP_PROTOCOL: expected one of http/json, http/protobuf',
    );
    expect(
      readConfig({ OTEL_TRACES_SAMPLER_ARG: '0.25' }, tracingConfig).otelTracesSamplerArg,
    ).to.equal(0.25);
  });
});
