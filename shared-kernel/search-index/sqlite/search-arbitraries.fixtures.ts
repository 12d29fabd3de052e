import fc from 'fast-check';
import type { Product } from '../contract/contract.fixtures';
import type { SearchFilter, SearchQuery, SearchSort } from '../port';

/**
 * Generated catalogues, writes and queries for the embedded engine's property specs: few ids,
 * categories and prices, so documents are often rewritten and sort values tie. The words'
 * Porter stems are themselves and distinct, so "holds the word" is plain.
 */
export const WORDS = ['oak', 'red', 'lamp', 'desk', 'mug', 'rug'];
export const IDS = Array.from({ length: 14 }, (_, i) => `p-${String(i).padStart(2, '0')}`);
const CATEGORIES = ['books', 'garden', 'toys'];

const words = (max: number) =>
  fc.array(fc.constantFrom(...WORDS), { maxLength: max }).map((w) => w.join(' '));
export const productArb: fc.Arbitrary<Product> = fc.record({
  name: words(4),
  description: words(8),
  category: fc.constantFrom(...CATEGORIES),
  price: fc.constantFrom(100, 250, 250, 999, 1000, 2500),
  inStock: fc.boolean(),
  popularity: fc.nat({ max: 3 }),
  updatedAt: fc.constantFrom('2025-01-01T00:00:00.000Z', '2025-02-01T00:00:00.000Z'),
});
export type Step = { op: 'upsert'; id: string; doc: Product } | { op: 'delete'; id: string };
export const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant('upsert' as const),
      id: fc.constantFrom(...IDS),
      doc: productArb,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant('delete' as const), id: fc.constantFrom(...IDS) }),
  },
);
const filterArb: fc.Arbitrary<SearchFilter> = fc.oneof(
  fc.record({
    kind: fc.constant('term' as const),
    field: fc.constant('category'),
    value: fc.constantFrom(...CATEGORIES, 'none'),
  }),
  fc.record({
    kind: fc.constant('term' as const),
    field: fc.constant('inStock'),
    value: fc.boolean(),
  }),
  fc.record(
    {
      kind: fc.constant('range' as const),
      field: fc.constant('price'),
      gte: fc.constantFrom(100, 250, 1000),
      gt: fc.constantFrom(100, 250, 1000),
      lt: fc.constantFrom(250, 1000, 2500),
      lte: fc.constantFrom(250, 1000, 2500),
    },
    { requiredKeys: ['kind', 'field'] },
  ),
);
const sortArb: fc.Arbitrary<SearchSort> = fc.oneof(
  fc.constant({ kind: 'relevance' as const }),
  fc.record({
    kind: fc.constant('field' as const),
    field: fc.constantFrom('price', 'popularity', 'updatedAt'),
    order: fc.constantFrom('asc' as const, 'desc' as const),
  }),
);
export const queryArb: fc.Arbitrary<SearchQuery> = fc.record({
  q: fc.oneof(fc.constant(''), words(2)),
  filters: fc.array(filterArb, { maxLength: 3 }),
  sort: sortArb,
  facets: fc.constant([
    { kind: 'terms' as const, field: 'category', size: 2 },
    {
      kind: 'range' as const,
      field: 'price',
      ranges: [{ to: 250 }, { from: 250, to: 1000 }, { from: 1000 }],
    },
  ]),
  limit: fc.integer({ min: 1, max: 5 }),
});
