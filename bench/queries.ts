/**
 * Query API benchmark: seeds products and orders as events folded through the real read-model
 * processors (document store + FTS5 search index), starts the compiled query process on them,
 * then measures GET by id (cached: a hot set; uncached: every id once) and search (rare,
 * common, two-word text with filters and facets) at a fixed rate, against a plain Express
 * hello-world in its own process under the same load. Run: node dist/bench/queries.js
 * [--products=100000 --orders=20000 --seconds=5 --clients=32 --search-rate=200].
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { readModelsFile } from '../shared-kernel/document-store/sqlite/open';
import { openSqliteDocumentStore } from '../shared-kernel/document-store/sqlite/store';
import type { RecordedEvent } from '../shared-kernel/events/envelope';
import { openSqliteSearchIndex } from '../shared-kernel/search-index/sqlite/sqlite-search-index';
import { commitEvents } from '../projections/engine/commit';
import type { ProcessorSpec } from '../projections/engine/processor';
import { searchProcessor } from '../projections/processors/search-processor';
import { inventoryProjection } from '../projections/read-models/inventory';
import { ordersProjection } from '../projections/read-models/orders';
import {
  PRODUCT_SEARCH_INDEX,
  productSearchStateProjection,
  searchIndexOperation,
} from '../projections/read-models/product-search';
import { productsProjection } from '../projections/read-models/products';
import { startChildService, type ChildService } from './support/child-service';
import { createLatencyRecorder } from './support/measure';
import { benchOptions } from './support/options';
import { createReport, formatEntry, record, writeReport } from './support/report';

const options = benchOptions();
const PRODUCTS = options.integer('products', 100_000);
const ORDERS = options.integer('orders', 20_000);
const SECONDS = options.integer('seconds', 5);
const CLIENTS = options.integer('clients', 32);
const SEARCH_RATE = options.integer('search-rate', 200);
const uuid = (kind: number, i: number) =>
  `0190f5a2-0000-7000-8${kind}00-${String(i).padStart(12, '0')}`;
const NOUNS = [
  'kettle',
  'mug',
  'lamp',
  'chair',
  'table',
  'shelf',
  'teapot',
  'rug',
  'clock',
  'vase',
];
const MATERIALS = ['steel', 'oak', 'glass', 'ceramic', 'linen', 'copper', 'stone', 'cotton'];

function* domainEvents(): Generator<RecordedEvent> {
  let sequence = 0;
  const at = Date.parse('2025-01-01T00:00:00Z');
  const event = (
    streamId: string,
    revision: number,
    type: string,
    data: unknown,
  ): RecordedEvent => {
    sequence += 1;
    const time = new Date(at + sequence * 1000).toISOString();
    const metadata = {
      correlationId: 'bench',
      causationId: null,
      actor: 'bench',
      occurredAt: time,
      schemaVersion: 1,
    };
    return {
      eventId: uuid(9, sequence),
      type,
      data,
      metadata,
      streamId,
      revision,
      position: sequence.toString(16).padStart(16, '0'),
      recordedAt: time,
    };
  };
  const price = (i: number) => ({ amount: 100 + ((i * 7919) % 99_900), currency: 'EUR' });
  for (let i = 0; i < PRODUCTS; i++) {
    const name = `${MATERIALS[i % 8]} ${NOUNS[i % 10]} model${i % 5000}`;
    const data = {
      productId: uuid(1, i),
      sku: `SKU-${i}`,
      name,
      description: `a ${MATERIALS[(i >> 3) % 8]} piece, no. ${i}`,
      category: `cat-${i % 20}`,
      price: price(i),
      attributes: {},
    };
    yield event(`product-${uuid(1, i)}`, 0, 'ProductCreated', data);
    if (i % 10 < 7)
      yield event(`stock-SKU-${i}`, 0, 'StockReceived', {
        sku: `SKU-${i}`,
        quantity: 50,
        reference: null,
      });
  }
  for (let j = 0; j < ORDERS; j++) {
    const p = (j * 31) % PRODUCTS;
    const line = {
      productId: uuid(1, p),
      sku: `SKU-${p}`,
      quantity: 1,
      unitPrice: price(p),
      lineTotal: price(p),
    };
    const placedAt = new Date(at + j * 60_000).toISOString();
    const address = { name: 'A', line1: 'B', city: 'C', postalCode: 'D', country: 'GB' };
    yield event(`order-${uuid(2, j)}`, 0, 'OrderPlaced', {
      orderId: uuid(2, j),
      customerId: uuid(3, j % 2000),
      lines: [line],
      total: price(p),
      shippingAddress: address,
      placedAt,
    });
    yield event(`order-${uuid(2, j)}`, 1, 'OrderConfirmed', {
      orderId: uuid(2, j),
      lines: [{ productId: line.productId, sku: line.sku, quantity: 1 }],
      confirmedAt: placedAt,
    });
  }
}

/** Folds the generated log through the real processors in batches of 2,000 (the audit trail is left out). */
async function seed(dir: string): Promise<number> {
  const documents = openSqliteDocumentStore({ file: readModelsFile(dir) });
  const search = openSqliteSearchIndex({
    file: path.join(dir, 'search.db'),
    declarations: [PRODUCT_SEARCH_INDEX],
  });
  await search.swapAlias('products', await search.createTarget('products'));
  const specs: ProcessorSpec[] = [
    ...[productsProjection(), ordersProjection(), inventoryProjection()].map((projection) => ({
      projection,
      rebuildable: true,
    })),
    searchProcessor({
      projection: productSearchStateProjection(),
      index: search,
      writeTo: 'products',
      toOperation: searchIndexOperation,
    }),
  ];
  for (const spec of specs)
    for (const c of spec.projection.collections) await documents.ensureCollection(c);
  const from = new Map<string, string | null>();
  let batch: RecordedEvent[] = [];
  let count = 0;
  const flush = async () => {
    const last = batch[batch.length - 1];
    if (!last) return;
    for (const spec of specs) {
      const events = batch.filter((e) => spec.projection.handles.has(e.type));
      await commitEvents(
        { spec, store: documents, upcast: (e) => e },
        { events, from: from.get(spec.projection.name) ?? null, to: last.position },
      );
      from.set(spec.projection.name, last.position);
    }
    count += batch.length;
    batch = [];
  };
  for (const event of domainEvents()) {
    batch.push(event);
    if (batch.length === 2000) await flush();
  }
  await flush();
  await Promise.all([documents.close(), search.close()]);
  return count;
}

function get(agent: http.Agent, port: number, url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: url, agent }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode ?? 0));
    });
    req.once('error', () => resolve(0));
  });
}

/** Closed loop: CLIENTS keep-alive connections, each asking again as soon as answered. */
async function closedLoop(port: number, next: (n: number) => string) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
  const latency = createLatencyRecorder(1 << 16);
  const deadline = performance.now() + SECONDS * 1000;
  let requests = 0;
  let failures = 0;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (performance.now() < deadline) {
        const started = performance.now();
        const status = await get(agent, port, next(requests++));
        latency.record(performance.now() - started);
        if (status !== 200) failures++;
      }
    }),
  );
  agent.destroy();
  return { perSecond: requests / SECONDS, failures, latency: latency.summary() };
}

/** Open loop at a fixed rate, so latency is measured without the load adapting to it. */
async function fixedRate(port: number, rate: number, next: (n: number) => string) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const latency = createLatencyRecorder(1 << 14);
  const total = rate * SECONDS;
  const start = performance.now();
  let failures = 0;
  const pending: Promise<void>[] = [];
  for (let n = 0; n < total; n++) {
    const due = start + (n * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    pending.push(
      get(agent, port, next(n)).then((status) => {
        latency.record(performance.now() - due);
        if (status !== 200) failures++;
      }),
    );
  }
  await Promise.all(pending);
  agent.destroy();
  return { failures, latency: latency.summary() };
}

function rssMb(pid: number | undefined): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN) / 1024;
}

async function helloWorld(): Promise<ChildService> {
  const script = `const e=require(${JSON.stringify(require.resolve('express'))});const a=e();a.disable('x-powered-by');a.get('/hello',(q,r)=>r.json({hello:'world'}));const s=a.listen(0,()=>console.log(JSON.stringify({port:s.address().port})));process.on('SIGTERM',()=>s.close(()=>process.exit(0)));`;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'strata-hello-'));
  const file = path.join(dir, 'hello.js');
  writeFileSync(file, script);
  return startChildService(file, {});
}

async function main(): Promise<void> {
  const report = createReport('queries', {
    products: PRODUCTS,
    orders: ORDERS,
    seconds: SECONDS,
    clients: CLIENTS,
    searchRate: SEARCH_RATE,
  });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'strata-bench-queries-'));
  const seeded = performance.now();
  const events = await seed(dir);
  const seedSeconds = (performance.now() - seeded) / 1000;
  record(report, {
    name: 'seed: events folded into read models',
    value: Math.round(events / seedSeconds),
    unit: 'events/s',
  });
  const query = await startChildService(path.join(__dirname, '..', 'read-side', 'main.js'), {
    STRATA_DATA_DIR: dir,
    STRATA_QUERY_PORT: '0',
    STRATA_LOG_FORMAT: 'json',
    STRATA_RATE_LIMIT_PER_MINUTE: '0',
  });
  const hello = await helloWorld();
  try {
    const baseline = await closedLoop(hello.port, () => '/hello');
    const hot = await closedLoop(query.port, (n) => `/products/${uuid(1, (n * 13) % 100)}`);
    const cold = await closedLoop(
      query.port,
      (n) => `/products/${uuid(1, (1000 + n * 7) % PRODUCTS)}`,
    );
    record(report, {
      name: 'GET /products/:id cached',
      value: Math.round(hot.perSecond),
      unit: 'req/s',
      baseline: Math.round(baseline.perSecond),
      goal: { atLeast: 5000 },
    });
    record(report, {
      name: 'GET /products/:id cached p99',
      value: hot.latency.p99,
      unit: 'ms',
      goal: { atMost: 10 },
    });
    record(report, { name: 'GET /products/:id cached p50', value: hot.latency.p50, unit: 'ms' });
    record(report, {
      name: 'GET /products/:id uncached',
      value: Math.round(cold.perSecond),
      unit: 'req/s',
      baseline: Math.round(baseline.perSecond),
    });
    record(report, { name: 'GET /products/:id uncached p99', value: cold.latency.p99, unit: 'ms' });
    const searches: Record<string, (n: number) => string> = {
      rare: (n) => `/products/search?q=model${n % 5000}`,
      common: (n) => `/products/search?q=steel&category=cat-${n % 20}&inStock=true`,
      'two-word': (n) =>
        `/products/search?q=oak+chair&minPrice=${n % 1000}&maxPrice=60000&sort=price_asc`,
    };
    for (const [kind, next] of Object.entries(searches)) {
      const run = await fixedRate(query.port, SEARCH_RATE, next);
      record(report, {
        name: `search ${kind} p50 at ${SEARCH_RATE} req/s`,
        value: run.latency.p50,
        unit: 'ms',
      });
      record(report, {
        name: `search ${kind} p99 at ${SEARCH_RATE} req/s`,
        value: run.latency.p99,
        unit: 'ms',
        goal: { atMost: 25 },
      });
      if (run.failures > 0)
        record(report, { name: `search ${kind} failures`, value: run.failures, unit: 'requests' });
    }
    record(report, {
      name: 'query process RSS after the run',
      value: rssMb(query.child.pid),
      unit: 'MiB',
    });
    if (hot.failures + cold.failures > 0)
      record(report, {
        name: 'GET failures',
        value: hot.failures + cold.failures,
        unit: 'requests',
      });
  } finally {
    await Promise.all([query.stop(), hello.stop()]);
    rmSync(dir, { recursive: true, force: true });
  }
  for (const entry of report.entries) process.stdout.write(`${formatEntry(entry)}\n`);
  const defaultOut = path.join('bench', 'results', 'queries.json');
  writeReport(report, path.resolve(options.string('out', defaultOut)));
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench queries: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
