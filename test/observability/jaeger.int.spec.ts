import { expect } from 'chai';
import { readConfig } from '../../shared-kernel/config/env';
import { createLogger } from '../../shared-kernel/logging/logger';
import { tracingConfig } from '../../shared-kernel/tracing/config';
import { startTracing } from '../../shared-kernel/tracing/start';
import { skipOrFail } from '../support/availability';
import { eventually } from '../support/eventually';
import { jaegerBinary, startJaeger, type JaegerTrace, type TestJaeger } from '../support/jaeger';

/**
 * The tracing groundwork switched on the standard way (OTEL_EXPORTER_OTLP_ENDPOINT), exporting
 * over OTLP/HTTP to a real Jaeger v2, and the trace found again through Jaeger's query API.
 */
describe('tracing to Jaeger over OTLP', function () {
  this.timeout(60_000);
  let jaeger: TestJaeger | null = null;
  before(async function () {
    const binary = jaegerBinary();
    if (!binary) skipOrFail(this, 'jaeger is not built (bash .ci/build-jaeger)', true);
    jaeger = await startJaeger(binary);
  });
  after(async () => jaeger?.stop());

  it('finds an exported span tree, with a continued child and a batch linked to it', async () => {
    const config = readConfig(
      { OTEL_EXPORTER_OTLP_ENDPOINT: jaeger!.otlpEndpoint, OTEL_SERVICE_NAME: 'strata-test' },
      tracingConfig,
    );
    const logger = createLogger({ service: 'test', level: 'error', format: 'json' });
    const tracing = startTracing(config, { service: 'command-api', logger });
    let traceId = '';
    let batchTraceId = '';
    try {
      expect(tracing.enabled).to.equal(true);
      const recorded = tracing.inSpan('POST /orders', (span) => {
        traceId = span.spanContext().traceId;
        return tracing.inSpan('append order-1', () => tracing.currentTraceContext());
      });
      tracing.continueFrom('saga reserve stock', recorded, () => undefined);
      batchTraceId = tracing.linkedTo('orders batch', [recorded], (s) => s.spanContext().traceId);
    } finally {
      // Flushes the batch processor: the spans go out now.
      await tracing.shutdown();
    }
    let found: JaegerTrace | null = null;
    await eventually(
      'Jaeger to know the trace with its three spans',
      async () => {
        found = await jaeger!.trace(traceId);
        return found?.spans.length === 3;
      },
      { timeoutMs: 20_000, intervalMs: 200, describe: () => JSON.stringify(found) },
    );
    const spans = found!.spans;
    const byName = (name: string) => spans.find((s) => s.operationName === name)!;
    const root = byName('POST /orders');
    const append = byName('append order-1');
    expect(found!.processes[root.processID]!.serviceName).to.equal('strata-test');
    expect(append.references).to.deep.equal([
      { refType: 'CHILD_OF', traceID: traceId, spanID: root.spanID },
    ]);
    expect(byName('saga reserve stock').references).to.deep.equal([
      { refType: 'CHILD_OF', traceID: traceId, spanID: append.spanID },
    ]);
    let batch: JaegerTrace | null = null;
    await eventually('Jaeger to know the batch trace', async () => {
      batch = await jaeger!.trace(batchTraceId);
      return batch !== null;
    });
    expect(batch!.spans[0]!.references).to.deep.equal([
      { refType: 'FOLLOWS_FROM', traceID: traceId, spanID: append.spanID },
    ]);
  });
});
