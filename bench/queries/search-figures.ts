import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { openSqliteSearchIndex } from '../../shared-kernel/search-index/sqlite/sqlite-search-index';
import { PRODUCT_SEARCH_INDEX } from '../../projections/read-models/product-search';
import { searchProducts } from '../../read-side/catalog/product-search';
import type { ChildService } from '../support/child-service';
import { createLatencyRecorder } from '../support/measure';
import { record, type Report } from '../support/report';
import { ftsBaseline } from './fts-baseline';
import { fixedRate } from './load-loops';
import { MATERIALS, NOUNS } from './seed-read-models';

const GOAL_MS = 25;

interface SearchKind {
  name: string;
  /** The words FTS5 alone is timed with, or null for a search without text. */
  text: ((n: number) => string) | null;
  /** The n-th request; `hot` repeats the first. */
  url: (n: number) => string;
}

export interface SearchRun {
  report: Report;
  /** The query process. */
  service: ChildService;
  port: number;
  dir: string;
  products: number;
  rate: number;
  seconds: number;
}

/**
 * Search through the query process at a fixed rate, each kind twice: one request repeated
 * (hot: the query cache and the kept text matches answer) and every request different
 * (distinct: other filters, pages and, but for the deep pages, other words; the catalogue has
 * few words, so a word's occurrences are read once per run and kept), next to FTS5 alone on
 * the same words, timed one call after another in this process (its service time: FTS5 alone
 * cannot keep up with the rate on a common word), and the query process's CPU per request,
 * which the load of other processes disturbs less than latency. Then, in this process, every
 * search word of the catalogue, then every pair of them, once on a fresh index (what a new text
 * costs: each word's occurrences are read from FTS5 once, then kept), and the load average the
 * figures were measured under.
 */
export async function searchFigures(run: SearchRun): Promise<void> {
  const { report, products } = run;
  const size = `${products / 1000}k products`;
  const baseline = ftsBaseline(run.dir, products);
  const pages = await deepPageCursors(run.port, '/products/search?q=steel&sort=price_asc');
  const material = (n: number) => MATERIALS[n % MATERIALS.length] as string;
  const pair = (n: number) => `${material(n)} ${NOUNS[Math.floor(n / 8) % NOUNS.length]}`;
  const kinds: SearchKind[] = [
    { name: 'rare word', text: (n) => `model${n % 5000}`, url: (n) => `q=model${n % 5000}` },
    {
      name: 'common word, category, in stock',
      text: material,
      url: (n) => `q=${material(n)}&category=cat-${n % 20}&inStock=true&minPrice=${n % 1000}`,
    },
    {
      name: 'two words, price range, by price',
      text: pair,
      url: (n) =>
        `q=${encodeURIComponent(pair(n))}&minPrice=${n % 1000}&maxPrice=60000&sort=price_asc`,
    },
    {
      name: 'common word, a filter matching almost nothing',
      text: material,
      url: (n) =>
        `q=${material(n)}&category=cat-${n % 20}&minPrice=${n % 50}&maxPrice=${(n % 50) + 150}`,
    },
    {
      name: `common word by price, pages 2-${pages.length + 1}`,
      text: () => 'steel',
      url: (n) => `q=steel&sort=price_asc&cursor=${pages[n % pages.length] ?? ''}`,
    },
    {
      name: 'no text, a category by popularity',
      text: null,
      url: (n) => `category=cat-${n % 20}&sort=popularity`,
    },
  ];
  for (const kind of kinds) {
    const text = kind.text;
    const fts = text && serviceTimes(run.rate * run.seconds, (n) => baseline.top(text(n)));
    for (const variant of ['hot', 'distinct'] as const) {
      const url = (n: number) => `/products/search?${kind.url(variant === 'hot' ? 0 : n)}`;
      const cpuBefore = run.service.cpuSeconds();
      const { latency, failures } = await fixedRate(run.port, run.rate, run.seconds, url);
      const cpuAfter = run.service.cpuSeconds();
      const name = `search ${kind.name} (${variant}), ${size}`;
      record(report, {
        name: `${name} p50`,
        value: latency.p50,
        unit: 'ms',
        baseline: fts?.p50 ?? null,
      });
      record(report, {
        name: `${name} p99 at ${run.rate} req/s`,
        value: latency.p99,
        unit: 'ms',
        baseline: fts?.p99 ?? null,
        goal: { atMost: GOAL_MS },
      });
      if (cpuBefore !== null && cpuAfter !== null) {
        // Steadier than latency on a shared machine: what the query process spent per request.
        record(report, {
          name: `${name} query process CPU per request`,
          value: ((cpuAfter - cpuBefore) * 1000) / (run.rate * run.seconds),
          unit: 'ms',
          baseline: fts?.p50 ?? null,
        });
      }
      if (failures > 0) {
        record(report, { name: `${name} failures`, value: failures, unit: 'requests' });
      }
    }
  }
  await newTexts(run, baseline, size);
  baseline.close();
  record(report, {
    name: `load average (1 min) after the ${size} searches`,
    value: os.loadavg()[0] ?? 0,
    unit: '',
  });
}

/** Each of `count` calls timed on its own, one after another. */
function serviceTimes(count: number, work: (n: number) => void) {
  const latency = createLatencyRecorder(count);
  for (let n = 0; n < count; n++) {
    const started = performance.now();
    work(n);
    latency.record(performance.now() - started);
  }
  return latency.summary();
}

/** Every word, then every material-noun pair, once, on an index that has kept nothing yet. */
async function newTexts(run: SearchRun, baseline: ReturnType<typeof ftsBaseline>, size: string) {
  const texts = [
    ...MATERIALS,
    ...NOUNS,
    ...MATERIALS.flatMap((m) => NOUNS.map((n) => `${m} ${n}`)),
  ];
  const index = openSqliteSearchIndex({
    file: path.join(run.dir, 'search.db'),
    declarations: [PRODUCT_SEARCH_INDEX],
  });
  const search = (q?: string) =>
    searchProducts(index, { ...(q !== undefined && { q }), sort: 'relevance', limit: 20 });
  const started = performance.now();
  await search();
  record(run.report, {
    name: `first search of a process (loads the columns), ${size}`,
    value: performance.now() - started,
    unit: 'ms',
  });
  const ours = createLatencyRecorder(texts.length);
  const fts = createLatencyRecorder(texts.length);
  for (const text of texts) {
    let at = performance.now();
    await search(text);
    ours.record(performance.now() - at);
    at = performance.now();
    baseline.top(text);
    fts.record(performance.now() - at);
  }
  await index.close();
  const [mine, raw] = [ours.summary(), fts.summary()];
  const pairs = MATERIALS.length * NOUNS.length;
  const name = `search a new text (${texts.length - pairs} words, then ${pairs} pairs of them, in process), ${size}`;
  record(run.report, { name: `${name} p50`, value: mine.p50, unit: 'ms', baseline: raw.p50 });
  record(run.report, { name: `${name} p99`, value: mine.p99, unit: 'ms', baseline: raw.p99 });
}

/** The cursors of pages 2, 3, ... of a search (up to 100 pages), for deep-page requests. */
async function deepPageCursors(port: number, url: string): Promise<string[]> {
  const agent = new http.Agent({ keepAlive: true });
  const cursors: string[] = [];
  let cursor: string | null = null;
  do {
    const path = cursor ? `${url}&cursor=${cursor}` : url;
    const body = await new Promise<string>((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port, path, agent }, (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.once('end', () => resolve(text));
        })
        .once('error', reject);
    });
    cursor = (JSON.parse(body) as { nextCursor: string | null }).nextCursor;
    if (cursor) cursors.push(cursor);
  } while (cursor && cursors.length < 100);
  agent.destroy();
  return cursors;
}
