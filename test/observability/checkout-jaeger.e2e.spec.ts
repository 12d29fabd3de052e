import { expect } from 'chai';
import { newId } from '../../shared-kernel/ids';
import { skipOrFail } from '../support/availability';
import { eventually } from '../support/eventually';
import { jaegerBinary, startJaeger, type JaegerTrace, type TestJaeger } from '../support/jaeger';
import { postJson, runningSystem, type RunningSystem } from '../support/running-system';
import { runStrata } from '../../projections/cli/cli.fixtures';

const CHECKOUT_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN = '00f067aa0ba902b7';

/**
 * The compiled command API and worker, tracing switched on the standard way
 * (OTEL_EXPORTER_OTLP_ENDPOINT), exporting to a real Jaeger v2: the checkout a caller started
 * (its `traceparent`) is found through Jaeger's query API with the spans of both processes.
 */
describe('checkout trace in Jaeger (compiled processes, OTLP)', function () {
  this.timeout(90_000);
  let jaeger: TestJaeger | null = null;
  let system: RunningSystem | null = null;
  before(async function () {
    const binary = jaegerBinary();
    if (!binary) skipOrFail(this, 'jaeger is not built (bash .ci/build-jaeger)', true);
    jaeger = await startJaeger(binary);
  });
  after(async () => {
    await system?.stopAll();
    await jaeger?.stop();
  });

  it('finds POST /orders, its append, the saga reserve and confirm under the caller trace id', async () => {
    system = runningSystem();
    // Spans leave in batches; a short delay keeps the spec quick.
    Object.assign(system.env, {
      OTEL_EXPORTER_OTLP_ENDPOINT: jaeger!.otlpEndpoint,
      OTEL_BSP_SCHEDULE_DELAY: '200',
      LOG_LEVEL: 'info',
    });
    await system.start('worker');
    const { base } = await system.start('command');
    const productId = newId();
    const sku = `JAEGER-${productId.slice(-6)}`;
    const created = await postJson(`${base}/products`, {
      productId,
      sku,
      name: 'Traced lamp',
      category: 'lighting',
      price: { amount: 1500, currency: 'EUR' },
    });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    expect((await postJson(`${base}/inventory/${sku}/receipts`, { quantity: 3 })).status).to.equal(
      200,
    );
    const placed = await fetch(`${base}/orders`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        traceparent: `00-${CHECKOUT_TRACE}-${CALLER_SPAN}-01`,
      },
      body: JSON.stringify({
        customerId: newId(),
        lines: [{ productId, quantity: 1 }],
        shippingAddress: { name: 'A', line1: 'B 1', city: 'C', postalCode: '1000', country: 'BE' },
      }),
    });
    expect(placed.status).to.equal(201);

    let found: JaegerTrace | null = null;
    const names = () => new Set((found?.spans ?? []).map((s) => s.operationName));
    await eventually(
      'Jaeger to hold the checkout with the saga confirmation',
      async () => {
        found = await jaeger!.trace(CHECKOUT_TRACE);
        return names().has('decide ConfirmOrder');
      },
      { timeoutMs: 45_000, intervalMs: 250, describe: () => [...names()].join(', ') },
    );
    const trace = found!;
    for (const name of [
      'POST /orders',
      'decide PlaceOrder',
      'append order',
      'saga ReserveStock',
      'append stock',
      'saga ConfirmOrder',
    ]) {
      expect(names(), `span ${name} in ${[...names()].join(', ')}`).to.include(name);
    }
    const services = new Set(Object.values(trace.processes).map((p) => p.serviceName));
    expect([...services].sort()).to.deep.equal(['command-api', 'projections']);
    const root = trace.spans.find((s) => s.operationName === 'POST /orders')!;
    expect(root.references).to.deep.include({
      refType: 'CHILD_OF',
      traceID: CHECKOUT_TRACE,
      spanID: CALLER_SPAN,
    });
  });

  it('shows `strata projections rebuild` as one span with its counts, nothing inside it', async () => {
    if (!system) throw new Error('the checkout spec above sets up the system');
    const run = await runStrata(['projections', 'rebuild', 'products', '--json'], {
      STRATA_DATA_DIR: system.dataDir,
      OTEL_EXPORTER_OTLP_ENDPOINT: jaeger!.otlpEndpoint,
    });
    expect(run.code, run.stderr).to.equal(0);
    const { events } = JSON.parse(run.stdout) as { events: number };
    expect(events).to.be.greaterThan(0);
    let traces: JaegerTrace[] = [];
    await eventually(
      'Jaeger to hold the rebuild trace',
      async () => {
        const answer = await fetch(`${jaeger!.queryUrl}/api/traces?service=strata-cli&limit=5`);
        traces = answer.ok ? ((await answer.json()) as { data: JaegerTrace[] }).data : [];
        return traces.some((t) => t.spans.some((s) => s.operationName === 'rebuild products'));
      },
      { timeoutMs: 20_000, intervalMs: 250, describe: () => JSON.stringify(traces).slice(0, 500) },
    );
    const rebuild = traces.find((t) =>
      t.spans.some((s) => s.operationName === 'rebuild products'),
    )!;
    expect(rebuild.spans.map((s) => s.operationName)).to.deep.equal(['rebuild products']);
    const tags = Object.fromEntries(rebuild.spans[0]!.tags.map((t) => [t.key, t.value]));
    expect(tags['strata.events']).to.equal(events);
    expect(tags['strata.outcome']).to.equal('swapped');
  });
});
