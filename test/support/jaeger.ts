import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './redis-server';
import { startServerBinary } from './server-binary';

/**
 * Jaeger v2 built from source by `.ci/build-jaeger` into `.build/bin/jaeger` (JAEGER_BIN
 * overrides), found upwards from wherever this file was compiled; null when it is not built.
 */
export function jaegerBinary(): string | null {
  if (process.env.JAEGER_BIN)
    return existsSync(process.env.JAEGER_BIN) ? process.env.JAEGER_BIN : null;
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const candidate = path.join(dir, '.build', 'bin', 'jaeger');
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

export interface JaegerSpan {
  traceID: string;
  spanID: string;
  operationName: string;
  references: { refType: string; traceID: string; spanID: string }[];
  tags: { key: string; value: unknown }[];
  processID: string;
}

export interface JaegerTrace {
  traceID: string;
  spans: JaegerSpan[];
  processes: Record<string, { serviceName: string }>;
}

export interface TestJaeger {
  /** Base URL of the OTLP/HTTP receiver: what OTEL_EXPORTER_OTLP_ENDPOINT is set to. */
  readonly otlpEndpoint: string;
  /** Base URL of the query API (`/api/traces/<id>`, `/api/services`). */
  readonly queryUrl: string;
  /** The trace as Jaeger's query API answers it, or null while it does not know it (404). */
  trace(traceId: string): Promise<JaegerTrace | null>;
  stop(): Promise<void>;
}

/**
 * The `jaeger` v2 binary as an all-in-one on free loopback ports: an OTLP/HTTP receiver, the
 * query API (HTTP and gRPC) and in-memory storage; no other receiver, no metrics port, no
 * sampling server (its defaults would claim 4317, 14250, 9411, 8888, ... on every interface).
 */
export async function startJaeger(binary: string): Promise<TestJaeger> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'strata-jaeger-'));
  const [otlp, query, queryGrpc] = [await freePort(), await freePort(), await freePort()];
  writeFileSync(
    path.join(dir, 'config.yaml'),
    `service:
  extensions: [jaeger_storage, jaeger_query]
  pipelines:
    traces:
      receivers: [otlp]
      processors: [batch]
      exporters: [jaeger_storage_exporter]
  telemetry:
    metrics:
      level: none
    logs:
      level: warn
extensions:
  jaeger_storage:
    backends:
      memstore:
        memory:
          max_traces: 10000
  jaeger_query:
    storage:
      traces: memstore
    http:
      endpoint: 127.0.0.1:${query}
    grpc:
      endpoint: 127.0.0.1:${queryGrpc}
receivers:
  otlp:
    protocols:
      http:
        endpoint: 127.0.0.1:${otlp}
processors:
  batch:
    timeout: 100ms
exporters:
  jaeger_storage_exporter:
    trace_storage: memstore
`,
  );
  const queryUrl = `http://127.0.0.1:${query}`;
  const server = await startServerBinary({
    name: 'Jaeger',
    command: binary,
    args: [`--config=file:${path.join(dir, 'config.yaml')}`],
    dir,
    ready: async () => (await fetch(`${queryUrl}/api/services`)).status === 200,
  });
  return {
    otlpEndpoint: `http://127.0.0.1:${otlp}`,
    queryUrl,
    async trace(traceId) {
      const response = await fetch(`${queryUrl}/api/traces/${traceId}`);
      if (response.status === 404) return null;
      if (!response.ok) throw new Error(`Jaeger /api/traces answered ${response.status}`);
      const body = (await response.json()) as { data: JaegerTrace[] };
      return body.data[0] ?? null;
    },
    stop: () => server.stop(),
  };
}
