/**
 * Query API benchmark: seeds products and orders as events folded through the real read-model
 * processors (document store + FTS5 search index), starts the compiled query process on them,
 * then measures GET by id (cached: a hot set; uncached: every id once) against a plain Express
 * hello-world in its own process under the same load, and search at a fixed rate against FTS5
 * alone (bench/queries/search-figures.ts), at each catalogue size, and what the search columns
 * cost a query process in memory (bench/queries/column-memory.ts). Run: node
 * dist/bench/queries.js [--products=100000 --search-products=10000,100000 --orders=20000
 * --seconds=5 --clients=32 --search-rate=200 --memory-products=100000,1000000]. GET is
 * measured at `--products` only.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { startChildService, type ChildService } from './support/child-service';
import { benchOptions } from './support/options';
import { createReport, formatEntry, record, writeReport, type Report } from './support/report';
import { columnMemory } from './queries/column-memory';
import { closedLoop } from './queries/load-loops';
import { searchFigures } from './queries/search-figures';
import { seedReadModels, uuid } from './queries/seed-read-models';

const options = benchOptions();
const PRODUCTS = options.integer('products', 100_000);
const SEARCH_PRODUCTS = options.integers('search-products', [10_000, 100_000]);
const MEMORY_PRODUCTS = options.integers('memory-products', [100_000, 1_000_000]);
const ORDERS = options.integer('orders', 20_000);
const SECONDS = options.integer('seconds', 5);
const CLIENTS = options.integer('clients', 32);
const SEARCH_RATE = options.integer('search-rate', 200);

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

async function getFigures(report: Report, query: ChildService): Promise<void> {
  const hello = await helloWorld();
  try {
    const baseline = await closedLoop(hello, SECONDS, CLIENTS, () => '/hello');
    const hot = await closedLoop(
      query,
      SECONDS,
      CLIENTS,
      (n) => `/products/${uuid(1, (n * 13) % 100)}`,
    );
    const cold = await closedLoop(
      query,
      SECONDS,
      CLIENTS,
      (n) => `/products/${uuid(1, (1000 + n * 7) % PRODUCTS)}`,
    );
    record(report, {
      name: 'GET /products/:id cached',
      value: Math.round(hot.perSecond),
      unit: 'req/s',
      baseline: Math.round(baseline.perSecond),
      // At the speed of the HTTP stack: 0.8 of hello-world's rate under the same load.
      goal: { atLeast: Math.round(0.8 * baseline.perSecond) },
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
    // CPU per request: the steadier cost on a shared machine, against hello-world's own.
    const cpu = (name: string, micros: number | null, goal?: { atMost: number }) => {
      if (micros === null || baseline.cpuMicros === null) return;
      record(report, { name, value: micros, unit: 'µs CPU', baseline: baseline.cpuMicros, goal });
    };
    cpu('  query process CPU per cached GET', hot.cpuMicros, {
      atMost: Math.round((baseline.cpuMicros ?? 0) / 0.8),
    });
    cpu('  query process CPU per uncached GET', cold.cpuMicros);
    if (hot.failures + cold.failures > 0)
      record(report, {
        name: 'GET failures',
        value: hot.failures + cold.failures,
        unit: 'requests',
      });
  } finally {
    await hello.stop();
  }
}

/** One catalogue size: seed, start the query process, measure, stop. */
async function atSize(report: Report, products: number): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'strata-bench-queries-'));
  try {
    const seeded = performance.now();
    const events = await seedReadModels(dir, products, ORDERS);
    record(report, {
      name: `seed: events folded into read models, ${products / 1000}k products`,
      value: Math.round(events / ((performance.now() - seeded) / 1000)),
      unit: 'events/s',
    });
    const query = await startChildService(path.join(__dirname, '..', 'read-side', 'main.js'), {
      STRATA_DATA_DIR: dir,
      STRATA_QUERY_PORT: '0',
      STRATA_LOG_FORMAT: 'json',
      STRATA_RATE_LIMIT_PER_MINUTE: '0',
    });
    try {
      if (products === PRODUCTS) await getFigures(report, query);
      if (SEARCH_PRODUCTS.includes(products)) {
        await searchFigures({
          report,
          service: query,
          port: query.port,
          dir,
          products,
          rate: SEARCH_RATE,
          seconds: SECONDS,
        });
      }
      record(report, {
        name: `query process RSS after the run, ${products / 1000}k products`,
        value: rssMb(query.child.pid),
        unit: 'MiB',
      });
    } finally {
      await query.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const report = createReport('queries', {
    products: PRODUCTS,
    searchProducts: SEARCH_PRODUCTS.join(','),
    orders: ORDERS,
    seconds: SECONDS,
    clients: CLIENTS,
    searchRate: SEARCH_RATE,
    memoryProducts: MEMORY_PRODUCTS.join(','),
  });
  const sizes = [...new Set([...SEARCH_PRODUCTS, PRODUCTS])].sort((a, b) => a - b);
  for (const size of sizes) {
    if (!Number.isSafeInteger(size) || size < 1) throw new Error(`--search-products: ${size}`);
    await atSize(report, size);
  }
  for (const size of MEMORY_PRODUCTS) await columnMemory(report, size);
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
