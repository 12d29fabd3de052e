/**
 * Quick performance check of the SQLite adapter (not a test): builds a target of 100,000
 * generated products through `bulk` as a rebuild would (batches of 1,000, then price changes
 * as further upserts), then times typical searches. Prints the figures as JSON. Each figure is
 * given as wall time and as this process's CPU time: on a shared, busy machine the wall time
 * mostly measures the other processes, and the CPU time is what the work itself costs.
 *   node dist/bench/search-index/sqlite-perf-check.js [products] [file]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  position,
  productDeclaration,
  type Product,
} from '../../shared-kernel/search-index/contract/contract.fixtures';
import type {
  IndexOperation,
  SearchIndex,
  SearchQuery,
} from '../../shared-kernel/search-index/port';
import { openSqliteSearchIndex } from '../../shared-kernel/search-index/sqlite/sqlite-search-index';

const ADJECTIVES = 'red blue green black white large small steel wooden cotton'.split(' ');
const NOUNS = 'lamp chair table desk shirt mug kettle shelf rug clock'.split(' ');
const FILLER = 'durable light simple classic modern soft warm bright compact elegant'.split(' ');
const CATEGORIES = ['books', 'garden', 'kitchen', 'toys', 'office', 'clothing', 'lighting'];
const BATCH = 1000;

function random(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

function generate(count: number, next: () => number): Array<{ id: string; doc: Product }> {
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)] as T;
  return Array.from({ length: count }, (_, i) => ({
    id: `prod-${String(i).padStart(6, '0')}`,
    doc: {
      name: `${pick(ADJECTIVES)} ${pick(NOUNS)} model${i}`,
      description: Array.from({ length: 12 }, () => pick(FILLER)).join(' '),
      category: pick(CATEGORIES),
      price: 100 + Math.floor(next() * 50_000),
      inStock: next() < 0.7,
      popularity: Math.floor(next() * 1000),
      updatedAt: new Date(Date.UTC(2025, 0, 1) + i * 1000).toISOString(),
    },
  }));
}

function clock() {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  return () => {
    const used = process.cpuUsage(cpu);
    return { wall: performance.now() - wall, cpu: (used.user + used.system) / 1000 };
  };
}

async function timeBulk(index: SearchIndex, target: string, ops: IndexOperation[]) {
  const stop = clock();
  for (let i = 0; i < ops.length; i += BATCH) await index.bulk(target, ops.slice(i, i + BATCH));
  const { wall, cpu } = stop();
  const rate = (ms: number) => Math.round(ops.length / (ms / 1000));
  return { ops: ops.length, wallPerSecond: rate(wall), cpuPerSecond: rate(cpu) };
}

async function timeQueries(index: SearchIndex, queries: SearchQuery[], rounds: number) {
  const wall: number[] = [];
  const cpu: number[] = [];
  let total = 0;
  for (let round = 0; round < rounds; round++) {
    for (const query of queries) {
      const stop = clock();
      total += (await index.search('products', query)).total;
      const took = stop();
      wall.push(took.wall);
      cpu.push(took.cpu);
    }
  }
  const at = (timings: number[], q: number) =>
    +(
      timings.sort((a, b) => a - b)[Math.min(timings.length - 1, Math.floor(q * timings.length))] ??
      0
    ).toFixed(2);
  return {
    runs: wall.length,
    meanTotal: Math.round(total / wall.length),
    wallMs: { p50: at(wall, 0.5), p99: at(wall, 0.99) },
    cpuMs: { p50: at(cpu, 0.5), p99: at(cpu, 0.99) },
  };
}

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 100_000);
  const dir = mkdtempSync(join(tmpdir(), 'strata-search-perf-'));
  const file = process.argv[3] ?? join(dir, 'search.db');
  const index = openSqliteSearchIndex({ file, declarations: [productDeclaration('products')] });
  const next = random(42);
  const products = generate(count, next);
  let version = 0;
  const creates = products.map((p): IndexOperation => ({
    op: 'upsert',
    id: p.id,
    version: position(++version),
    doc: p.doc,
  }));
  const priceChanges = products.map((p): IndexOperation => ({
    op: 'upsert',
    id: p.id,
    version: position(++version + count),
    doc: { ...p.doc, price: p.doc.price + 1 },
  }));
  const target = await index.createTarget('products');
  const rebuild = await timeBulk(index, target, creates);
  const updates = await timeBulk(index, target, priceChanges);
  await index.swapAlias('products', target);

  const facets = [
    { kind: 'terms', field: 'category' },
    {
      kind: 'range',
      field: 'price',
      ranges: [{ to: 1000 }, { from: 1000, to: 10000 }, { from: 10000 }],
    },
  ] as const;
  const inStock = { kind: 'term', field: 'inStock', value: true } as const;
  const figures = {
    products: count,
    rebuildCreates: rebuild,
    rebuildPriceChanges: updates,
    rareTerm: await timeQueries(
      index,
      [...Array(50)].map((_, i) => ({ q: `model${i * 1999}` })),
      4,
    ),
    commonTerm: await timeQueries(
      index,
      NOUNS.map((q) => ({ q, facets })),
      20,
    ),
    twoWordsFiltersFacets: await timeQueries(
      index,
      ADJECTIVES.map((a, i) => ({
        q: `${a} ${NOUNS[i]}`,
        filters: [inStock, { kind: 'range', field: 'price', gte: 1000, lt: 20000 }],
        facets,
      })),
      20,
    ),
    commonTermByPrice: await timeQueries(
      index,
      NOUNS.map((q) => ({ q, sort: { kind: 'field', field: 'price', order: 'asc' } })),
      20,
    ),
    browseCategoryByPopularity: await timeQueries(
      index,
      CATEGORIES.map((value) => ({
        filters: [{ kind: 'term', field: 'category', value }],
        sort: { kind: 'field', field: 'popularity', order: 'desc' },
        facets,
      })),
      20,
    ),
  };
  await index.close();
  rmSync(dir, { recursive: true, force: true });
  process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
}

void main();
