import { SpanKind } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RunningProcess } from '../../shared-kernel/http/serve';
import { newId } from '../../shared-kernel/ids';
import { openOutboxReader } from '../../shared-kernel/integration/outbox/outbox-reader';
import {
  startInMemoryTracing,
  type InMemoryTracing,
} from '../../shared-kernel/tracing/in-memory.fixtures';
import { traceIdOf } from '../../shared-kernel/tracing/trace-context';
import { main as commandApi } from '../../write-side/main';
import { main as worker } from '../../projections/main';
import { main as queryApi } from '../../read-side/main';
import { eventually } from '../support/eventually';
import { postJson } from '../support/running-system';
import { embeddedWorkerEnv } from '../support/worker-process';

const named = (spans: ReadableSpan[], name: string) => spans.filter((s) => s.name === name);
const linksTo = (span: ReadableSpan, traceId: string) =>
  span.links.some((link) => link.context.traceId === traceId);

/**
 * One checkout followed through the composition roots (the command API's and the worker's
 * `main`, in this process so the SDK's in-memory exporter sees both): POST /orders -> decide ->
 * append -> saga reserve per line -> confirm, all one trace; each processor's batch linked to
 * it; the outbox messages carrying it as `ce_traceparent`; the audit history showing it.
 */
describe('checkout trace (command API + worker, in-memory exporter)', function () {
  this.timeout(60_000);
  let dataDir: string;
  let harness: InMemoryTracing;
  const running: RunningProcess[] = [];

  beforeEach(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'strata-trace-'));
    harness = startInMemoryTracing('strata');
  });
  afterEach(async () => {
    for (const process of running.splice(0).reverse()) await process.stop();
    await harness.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('is one trace from POST /orders to the confirmation, linked from every batch and carried by the messages', async () => {
    const env = {
      ...embeddedWorkerEnv(dataDir, { LOG_LEVEL: 'error' }),
      STRATA_COMMAND_PORT: '0',
      STRATA_QUERY_PORT: '0',
    };
    const { tracing } = harness;
    const api = await commandApi(env, { tracing });
    running.push(api);
    running.push(await worker(env, { tracing }));
    const query = await queryApi(env, { tracing });
    running.push(query);
    const base = `http://127.0.0.1:${api.port}`;

    const productIds = [newId(), newId()];
    for (const [i, productId] of productIds.entries()) {
      const sku = `TRACE-${i}-${productId.slice(-6)}`;
      const product = { productId, sku, name: `Lamp ${i}`, category: 'lighting' };
      const created = await postJson(`${base}/products`, {
        ...product,
        price: { amount: 1500, currency: 'EUR' },
      });
      expect(created.status, JSON.stringify(created.body)).to.equal(201);
      const received = await postJson(`${base}/inventory/${sku}/receipts`, { quantity: 5 });
      expect(received.status, JSON.stringify(received.body)).to.equal(200);
    }
    const orderId = newId();
    const placed = await postJson(`${base}/orders`, {
      orderId,
      customerId: newId(),
      lines: productIds.map((productId) => ({ productId, quantity: 1 })),
      shippingAddress: { name: 'A', line1: 'B 1', city: 'C', postalCode: '1000', country: 'BE' },
    });
    expect(placed.status, JSON.stringify(placed.body)).to.equal(201);

    const server = harness
      .spans()
      .find((s) => s.kind === SpanKind.SERVER && s.attributes['http.route'] === '/orders');
    expect(server, 'the POST /orders server span').not.to.equal(undefined);
    const traceId = server!.spanContext().traceId;
    const inTrace = () => harness.trace(traceId);
    await eventually(
      'the saga to confirm the order in the same trace',
      () =>
        named(inTrace(), 'decide ConfirmOrder').length > 0 &&
        named(inTrace(), 'append order').length >= 2,
    );
    const tree = harness.describe(traceId);
    if (process.env.SHOW_TREE) console.log(tree);

    // The request: decide, then append (the store's client span, the stream its attribute).
    const [decide] = named(inTrace(), 'decide PlaceOrder');
    expect(decide, tree).not.to.equal(undefined);
    const appendOrder = named(inTrace(), 'append order');
    const firstAppend = appendOrder.find(
      (s) => s.parentSpanContext?.spanId === server!.spanContext().spanId,
    );
    expect(firstAppend, tree).not.to.equal(undefined);
    expect(firstAppend!.kind, tree).to.equal(SpanKind.CLIENT);
    expect(firstAppend!.attributes['strata.stream_id'], tree).to.match(/^order-/);

    // The saga: a reserve per line, then the confirmation, each a child of the span the event
    // that caused it was appended in.
    const reserves = named(inTrace(), 'saga ReserveStock');
    expect(reserves, tree).to.have.length(productIds.length);
    const appendSpanIds = new Set(
      inTrace()
        .filter((s) => s.name.startsWith('append '))
        .map((s) => s.spanContext().spanId),
    );
    for (const reserve of reserves) {
      expect(appendSpanIds.has(reserve.parentSpanContext?.spanId ?? ''), tree).to.equal(true);
      expect(
        harness.children(reserve).map((s) => s.name),
        tree,
      ).to.include('append stock');
    }
    const [confirm] = named(inTrace(), 'saga ConfirmOrder');
    expect(confirm, tree).not.to.equal(undefined);
    expect(appendSpanIds.has(confirm!.parentSpanContext?.spanId ?? ''), tree).to.equal(true);

    // Each processor's batch is a root span of its own, linked to the checkout's trace.
    for (const processor of [
      'products',
      'orders',
      'product-search',
      'kafka-mirror',
      'fulfillment-saga',
    ]) {
      await eventually(`a ${processor} batch linked to the checkout`, () =>
        named(harness.spans(), `${processor} batch`).some((s) => linksTo(s, traceId)),
      );
    }
    const searchBatch = named(harness.spans(), 'product-search batch').find((s) =>
      harness.children(s).some((c) => c.name === 'search-index bulk'),
    );
    expect(searchBatch, 'a search batch with its FTS5 bulk span').not.to.equal(undefined);

    // The messages carry the checkout's trace (the CloudEvents tracing extension).
    const reader = openOutboxReader({ dataDir });
    try {
      await eventually('the OrderConfirmed message', () =>
        reader
          .readOutbox({ limit: 1000 })
          .some((r) => r.key === orderId && r.headers.ce_type.includes('OrderConfirmed')),
      );
      const messages = reader.readOutbox({ limit: 1000 }).filter((r) => r.key === orderId);
      expect(messages.map((m) => m.headers.ce_type)).to.include.members([
        'strata.orders.OrderPlaced.v1',
        'strata.orders.OrderConfirmed.v1',
      ]);
      for (const message of messages) {
        expect(traceIdOf({ traceparent: message.headers.ce_traceparent })).to.equal(traceId);
      }
    } finally {
      reader.close();
    }

    // The audit history shows each event's trace id.
    const queryBase = `http://127.0.0.1:${query.port}`;
    let history: { items: { type: string; traceId: string | null }[] } = { items: [] };
    await eventually('the order history with its confirmation', async () => {
      const answer = await fetch(`${queryBase}/audit/order/${orderId}/history`);
      history = (await answer.json()) as typeof history;
      return history.items.some((item) => item.type === 'OrderConfirmed');
    });
    expect(history.items.map((item) => item.traceId)).to.satisfy((ids: (string | null)[]) =>
      ids.every((id) => id === traceId),
    );
  });
});
