import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { isWrapped } from '@opentelemetry/instrumentation';
import { expect } from 'chai';
import express, { type RequestHandler } from 'express';
import { Redis } from 'ioredis';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readConfig } from '../config/env';
import { mountRoutes, type RouteSpec } from '../http/routes';
import { createLogger } from '../logging/logger';
import { tracingConfig } from './config';
import { startInMemoryTracing, type InMemoryTracing } from './in-memory.fixtures';
import { requestSpans } from './request-span';
import { startTracing } from './start';
import { TRACING_OFF, type Tracing } from './tracing';
import type { TraceContextFields } from './trace-context';

const TRACE = '0af7651916cd43dd8448eb211c80319c';
const CALLER_SPAN = 'b7ad6b7169203331';

/**
 * An express app built after tracing started (as main.ts builds it), its routes served from a
 * route table as the APIs' are, behind the server-span middleware the API apps mount first, on
 * a free port.
 */
async function orderApp(tracing: Tracing, recorded: TraceContextFields[]) {
  const route = (method: 'get' | 'post', path: string, handler: RequestHandler): RouteSpec => ({
    method,
    path,
    summary: path,
    access: { kind: 'public' },
    handler,
    success: { status: 200, schema: {} },
  });
  const router = express.Router();
  mountRoutes(router, [
    route('get', '/livez', (_req, res) => void res.json({ status: 'up' })),
    route('post', '/orders', (_req, res) => {
      // What the command handler will store in each appended event's metadata.
      tracing.inSpan('append order', () => recorded.push(tracing.currentTraceContext()));
      res.status(201).json({ ok: true });
    }),
    route('get', '/broken', () => {
      throw new Error('handler bug');
    }),
  ]);
  const app = express();
  const serverSpan = requestSpans(tracing);
  if (serverSpan) app.use(serverSpan);
  app.use(router);
  // The 500 of a handler that throws, without express's stack trace in the test output.
  app.use(
    ((_error, _req, res, _next) => void res.status(500).end()) as express.ErrorRequestHandler,
  );
  const server = await new Promise<http.Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, close: () => new Promise((resolve) => server.close(resolve)) };
}

describe('tracing (OpenTelemetry, in-memory exporter)', function () {
  this.timeout(20_000);
  let harness: InMemoryTracing | null = null;
  afterEach(async () => {
    await harness?.stop();
    harness = null;
  });

  it('continues an incoming traceparent: the request span keeps its trace id and the append records it', async () => {
    harness = startInMemoryTracing('command-api');
    const recorded: TraceContextFields[] = [];
    const app = await orderApp(harness.tracing, recorded);
    try {
      const answer = await fetch(`${app.base}/orders`, {
        method: 'POST',
        headers: { traceparent: `00-${TRACE}-${CALLER_SPAN}-01`, tracestate: 'vendor=1' },
      });
      expect(answer.status).to.equal(201);
      await fetch(`${app.base}/livez`);
    } finally {
      await app.close();
    }
    const spans = harness.trace(TRACE);
    const server = spans.find((s) => s.kind === SpanKind.SERVER);
    expect(server, harness.describe(TRACE)).not.to.equal(undefined);
    expect(server!.parentSpanContext?.spanId).to.equal(CALLER_SPAN);
    expect(server!.attributes['http.route']).to.equal('/orders');
    const append = spans.find((s) => s.name === 'append order')!;
    expect(recorded).to.have.length(1);
    expect(recorded[0]).to.deep.equal({
      traceparent: `00-${TRACE}-${append.spanContext().spanId}-01`,
      tracestate: 'vendor=1',
    });
    // The request span is named from the route table; the handler's spans hang right below it.
    expect(harness.describe(TRACE)).to.equal('POST /orders\n  append order');
    // Probes are never traced.
    expect(
      harness
        .spans()
        .filter(
          (s) => s.attributes['http.target'] === '/livez' || s.attributes['url.path'] === '/livez',
        ),
    ).to.deep.equal([]);
  });

  it('ends each server span with its status code: 500 an error, an unknown path named by its method', async () => {
    harness = startInMemoryTracing('command-api');
    const app = await orderApp(harness.tracing, []);
    try {
      expect((await fetch(`${app.base}/broken`)).status).to.equal(500);
      expect((await fetch(`${app.base}/nowhere`)).status).to.equal(404);
    } finally {
      await app.close();
    }
    const servers = harness.spans().filter((s) => s.kind === SpanKind.SERVER);
    const summary = servers.map((s) => [
      s.name,
      s.attributes['http.response.status_code'],
      s.attributes['url.path'],
      s.status.code,
    ]);
    expect(summary).to.deep.equal([
      ['GET /broken', 500, '/broken', SpanStatusCode.ERROR],
      ['GET', 404, '/nowhere', SpanStatusCode.UNSET],
    ]);
  });

  it('starts a new trace for a request without traceparent', async () => {
    harness = startInMemoryTracing('command-api');
    const recorded: TraceContextFields[] = [];
    const app = await orderApp(harness.tracing, recorded);
    await fetch(`${app.base}/orders`, { method: 'POST' }).finally(() => app.close());
    const server = harness.spans().find((s) => s.kind === SpanKind.SERVER)!;
    expect(server.parentSpanContext).to.equal(undefined);
    expect(recorded[0]!.traceparent).to.include(server.spanContext().traceId);
  });

  it('continues a recorded trace as a child (a saga command) and links a batch to many traces', async () => {
    harness = startInMemoryTracing('projections');
    const { tracing } = harness;
    const first = tracing.inSpan('checkout 1', () => tracing.currentTraceContext());
    const second = tracing.inSpan('checkout 2', () => tracing.currentTraceContext());
    const reserved = await tracing.continueFrom('saga reserve stock', first, async (span) => {
      await new Promise((resolve) => setImmediate(resolve));
      return span.spanContext();
    });
    const checkout1 = harness.spans().find((s) => s.name === 'checkout 1')!;
    expect(reserved.traceId).to.equal(checkout1.spanContext().traceId);
    const saga = harness.spans().find((s) => s.name === 'saga reserve stock')!;
    expect(saga.parentSpanContext?.spanId).to.equal(checkout1.spanContext().spanId);

    const batch = tracing.linkedTo(
      'products batch',
      [first, second, first, undefined, {}],
      (span) => {
        span.setAttribute('strata.events', 5);
        return span.spanContext();
      },
    );
    const batchSpan = harness.spans().find((s) => s.name === 'products batch')!;
    expect(batchSpan.parentSpanContext).to.equal(undefined);
    expect(batch.traceId).not.to.be.oneOf([checkout1.spanContext().traceId]);
    expect(batchSpan.links.map((l) => l.context.spanId)).to.have.members(
      ['checkout 1', 'checkout 2'].map(
        (n) =>
          harness!
            .spans()
            .find((s) => s.name === n)!
            .spanContext().spanId,
      ),
    );
    // A batch of unrecorded (old) events is a plain root span.
    const bare = tracing.continueFrom('old event', undefined, (span) => span.spanContext());
    expect(bare.traceId).not.to.equal(checkout1.spanContext().traceId);
  });

  it('makes a leaf span a child of the active one, never active itself, recording a throw', () => {
    harness = startInMemoryTracing();
    const { tracing } = harness;
    const inside = tracing.inSpan('request', () =>
      tracing.leafSpan('decide Thing', () => trace.getActiveSpan()),
    );
    expect(() =>
      tracing.leafSpan('decide Broken', () => {
        throw new Error('rule broken');
      }),
    ).to.throw('rule broken');
    const request = harness.spans().find((s) => s.name === 'request')!;
    const leaf = harness.spans().find((s) => s.name === 'decide Thing')!;
    expect(leaf.parentSpanContext?.spanId).to.equal(request.spanContext().spanId);
    expect(inside?.spanContext().spanId).to.equal(request.spanContext().spanId);
    const broken = harness.spans().find((s) => s.name === 'decide Broken')!;
    expect(broken.status.code).to.equal(SpanStatusCode.ERROR);
  });

  it('records a failure on the span and passes it on, for thrown errors and rejections', async () => {
    harness = startInMemoryTracing();
    const { tracing } = harness;
    expect(() =>
      tracing.inSpan('decide', () => {
        throw new Error('rule broken');
      }),
    ).to.throw('rule broken');
    const rejected = await tracing
      .inSpan('append', () => Promise.reject(new Error('store down')))
      .catch((e: Error) => e.message);
    expect(rejected).to.equal('store down');
    for (const [name, message] of [
      ['decide', 'rule broken'],
      ['append', 'store down'],
    ]) {
      const span = harness.spans().find((s) => s.name === name)!;
      expect(span.status).to.deep.equal({
        code: SpanStatusCode.ERROR,
        message: `Error: ${message}`,
      });
      expect(span.events.map((e) => e.name)).to.deep.equal(['exception']);
    }
  });

  it('honours OTEL_TRACES_SAMPLER: always_off records nothing, parentbased_always_off follows a sampled caller', async () => {
    harness = startInMemoryTracing('command-api', { OTEL_TRACES_SAMPLER: 'always_off' });
    harness.tracing.inSpan('nothing', () => undefined);
    expect(harness.spans()).to.deep.equal([]);
    await harness.stop();
    harness = startInMemoryTracing('command-api', {
      OTEL_TRACES_SAMPLER: 'parentbased_always_off',
    });
    const app = await orderApp(harness.tracing, []);
    try {
      await fetch(`${app.base}/orders`, { method: 'POST' });
      expect(harness.spans()).to.deep.equal([]);
      await fetch(`${app.base}/orders`, {
        method: 'POST',
        headers: { traceparent: `00-${TRACE}-${CALLER_SPAN}-01` },
      });
    } finally {
      await app.close();
    }
    expect(harness.trace(TRACE).map((s) => s.name)).to.include('append order');
  });

  it('patches modules loaded before it started (mongodb, ioredis) and unpatches them on shutdown', async () => {
    // The connection class the mongodb instrumentation wraps; this spec file loaded it first.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Connection } = require('mongodb/lib/cmap/connection') as {
      Connection: { prototype: { command: unknown } };
    };
    harness = startInMemoryTracing();
    expect(isWrapped(Connection.prototype.command)).to.equal(true);
    expect(isWrapped(Redis.prototype.sendCommand)).to.equal(true);
    await harness.stop();
    harness = null;
    expect(isWrapped(Connection.prototype.command)).to.equal(false);
    expect(isWrapped(Redis.prototype.sendCommand)).to.equal(false);
  });
});

describe('tracing off', () => {
  const logger = createLogger({ service: 'test', level: 'error', format: 'json' });

  it('without an endpoint: nothing registered, nothing patched, spans are not recorded', () => {
    const tracing = startTracing(readConfig({}, tracingConfig), { service: 'x', logger });
    expect(tracing).to.equal(TRACING_OFF);
    expect(trace.getTracer('probe').startSpan('probe').isRecording()).to.equal(false);
    expect(isWrapped(Redis.prototype.sendCommand)).to.equal(false);
    expect(tracing.inSpan('x', () => tracing.currentTraceContext())).to.deep.equal({});
  });

  it('exports OTLP as JSON by default and as protobuf when OTEL_EXPORTER_OTLP_PROTOCOL says so', async () => {
    const received: string[] = [];
    const listener = http.createServer((request, response) => {
      received.push(`${request.url} ${request.headers['content-type']}`);
      request.resume();
      request.on('end', () =>
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}'),
      );
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
    try {
      for (const protocol of [undefined, 'http/protobuf', 'http/json']) {
        const env = {
          OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
          OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
        };
        const tracing = startTracing(readConfig(env, tracingConfig), { service: 'x', logger });
        tracing.inSpan('work', () => undefined);
        await tracing.shutdown();
      }
    } finally {
      listener.close();
    }
    expect(received).to.deep.equal([
      '/v1/traces application/json',
      '/v1/traces application/x-protobuf',
      '/v1/traces application/json',
    ]);
  });

  it('OTEL_SDK_DISABLED=true with an endpoint: no exporter ever connects to it', async () => {
    // Counts what reaches the endpoint; the exporter of the "on" half shows it would notice.
    let connections = 0;
    const listener = http.createServer((request, response) => {
      connections++;
      request.resume();
      request.on('end', () => response.writeHead(200).end());
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    const port = (listener.address() as AddressInfo).port;
    try {
      const config = readConfig(
        { OTEL_SDK_DISABLED: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}` },
        tracingConfig,
      );
      const tracing = startTracing(config, { service: 'x', logger });
      expect(tracing.enabled).to.equal(false);
      for (let i = 0; i < 100; i++) tracing.inSpan('work', () => i);
      await tracing.shutdown();
      // The same setup switched on does connect: the probe would notice an exporter.
      const on = startTracing(
        readConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}` }, tracingConfig),
        {
          service: 'x',
          logger,
        },
      );
      expect(connections).to.equal(0);
      on.inSpan('work', () => undefined);
      await on.shutdown();
      expect(connections).to.be.greaterThan(0);
    } finally {
      listener.close();
    }
  });
});
