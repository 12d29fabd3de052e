import { randomBytes } from 'node:crypto';
import type { IndexDeclaration, IndexOperation, SearchIndex, SearchQuery } from '../port';

/** What an adapter's spec hands the contract: a fresh adapter serving `declaration`. */
export interface ContractSubject {
  index: SearchIndex;
  /** Removes everything the test made (targets, files) and closes the adapter. */
  dispose(): Promise<void>;
}
export type OpenSubject = (declaration: IndexDeclaration) => Promise<ContractSubject>;

/** Unique per test, so suites can share one Elasticsearch server and never see each other. */
export function uniqueIndexName(): string {
  return `contract_${randomBytes(5).toString('hex')}`;
}

export function productDeclaration(name: string): IndexDeclaration {
  return {
    name,
    text: [
      { name: 'name', boost: 3 },
      { name: 'description', boost: 1 },
    ],
    fields: [
      { name: 'category', type: 'keyword' },
      { name: 'price', type: 'number', sortable: true },
      { name: 'inStock', type: 'boolean' },
      { name: 'popularity', type: 'number', sortable: true },
      { name: 'updatedAt', type: 'date', sortable: true },
    ],
  };
}

// A type alias, not an interface, so a Product is assignable to a SearchDocument record.
export type Product = {
  name: string;
  description: string;
  category: string;
  price: number;
  inStock: boolean;
  popularity: number;
  updatedAt: string;
};

/** A position as the SQLite event store writes it: 16 lowercase hex digits. */
export function position(n: number): string {
  return n.toString(16).padStart(16, '0');
}

export function product(overrides: Partial<Product> = {}): Product {
  return {
    name: 'Plain item',
    description: 'Nothing special',
    category: 'misc',
    price: 1000,
    inStock: true,
    popularity: 0,
    updatedAt: '2025-01-01T00:00:00.000Z',
    ...overrides,
  };
}

export function upsert(id: string, version: number, doc: Product): IndexOperation {
  return { op: 'upsert', id, version: position(version), doc: { ...doc } };
}

/**
 * A deterministic catalogue with many ties: prices repeat every 7 items and names repeat every
 * 5, so sorts and pagination must rely on the id tie-break to be stable.
 */
export function catalogue(count: number): Array<{ id: string; doc: Product }> {
  const categories = ['books', 'garden', 'kitchen', 'toys'];
  const adjectives = ['red', 'blue', 'green', 'yellow', 'black'];
  return Array.from({ length: count }, (_, i) => ({
    id: `p-${String((i * 7919) % 10007).padStart(5, '0')}`,
    doc: product({
      name: `${adjectives[i % 5]} lamp`,
      description: i % 3 === 0 ? 'warm light for reading' : 'cold light',
      category: categories[i % 4] as string,
      price: 500 + (i % 7) * 250,
      inStock: i % 2 === 0,
      popularity: i % 11,
      updatedAt: new Date(Date.UTC(2025, 0, 1 + (i % 28))).toISOString(),
    }),
  }));
}

/** Index with a live target made and swapped in, ready for writes through the index name. */
export async function liveIndex(index: SearchIndex, indexName: string): Promise<string> {
  const target = await index.createTarget(indexName);
  await index.swapAlias(indexName, target);
  return target;
}

/**
 * A fresh adapter whose index (a unique name) is live and holds `docs`, keyed by id, written in
 * one bulk with versions 1, 2, ...
 */
export async function indexHolding(
  open: OpenSubject,
  docs: Record<string, Product>,
): Promise<ContractSubject & { name: string }> {
  const name = uniqueIndexName();
  const subject = await open(productDeclaration(name));
  await liveIndex(subject.index, name);
  await subject.index.bulk(
    name,
    Object.entries(docs).map(([id, doc], i) => upsert(id, i + 1, doc)),
  );
  return { ...subject, name };
}

/** Every page of a search, following cursors; fails on a runaway loop. */
export async function allPages(
  index: SearchIndex,
  indexName: string,
  query: SearchQuery,
): Promise<{ ids: string[]; pages: number; totals: number[] }> {
  const ids: string[] = [];
  const totals: number[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await index.search(indexName, { ...query, ...(cursor ? { cursor } : {}) });
    ids.push(...page.hits.map((hit) => hit.id));
    totals.push(page.total);
    cursor = page.nextCursor ?? undefined;
    if (++pages > 10_000) throw new Error('pagination does not end');
  } while (cursor);
  return { ids, pages, totals };
}

/** Ids ordered by a sort value then id, both in `order`: the contract's tie-break rule. */
export function expectedOrder<T>(
  items: Array<{ id: string; doc: T }>,
  value: (doc: T) => number,
  order: 'asc' | 'desc',
): string[] {
  const sign = order === 'asc' ? 1 : -1;
  return [...items]
    .sort((a, b) => sign * (value(a.doc) - value(b.doc) || (a.id < b.id ? -1 : 1)))
    .map((item) => item.id);
}
