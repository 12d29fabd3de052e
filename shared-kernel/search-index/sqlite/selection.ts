import type { FacetBucket, IndexDeclaration } from '../port';
import type { PreparedFacet, PreparedFilter } from '../query';
import { columnOf, type Columns } from './columns';
import { compareText } from './ordering';

/**
 * The filters as one test of a seq, or null when a filter can match nothing (a keyword value no
 * document holds). A missing value never passes, as SQL's comparisons with NULL never hold.
 */
export function compileFilters(
  declaration: IndexDeclaration,
  columns: Columns,
  filters: readonly PreparedFilter[],
): ((seq: number) => boolean) | null {
  const tests: Array<(seq: number) => boolean> = [];
  for (const filter of filters) {
    const column = columnOf(declaration, columns, filter.field.name);
    if (column.kind === 'keyword') {
      if (filter.kind !== 'term') return null;
      const code = column.codeOf.get(String(filter.value));
      if (code === undefined) return null;
      const codes = column.codes;
      tests.push((seq) => codes[seq] === code);
      continue;
    }
    const values = column.values;
    if (filter.kind === 'term') {
      const wanted = typeof filter.value === 'boolean' ? Number(filter.value) : filter.value;
      tests.push((seq) => values[seq] === wanted);
      continue;
    }
    const { gte = -Infinity, gt = -Infinity, lte = Infinity, lt = Infinity } = filter.bounds;
    tests.push((seq) => {
      const value = values[seq] as number;
      return value >= gte && value > gt && value <= lte && value < lt;
    });
  }
  return (seq) => tests.every((test) => test(seq));
}

/** Counts facets over every matching document, one array slot read per facet and document. */
export function facetCounter(
  declaration: IndexDeclaration,
  columns: Columns,
  facets: readonly PreparedFacet[],
) {
  const counters = facets.map((facet) => {
    const column = columnOf(declaration, columns, facet.field.name);
    if (facet.kind === 'terms' && column.kind === 'keyword') {
      const counts = new Int32Array(column.values.length);
      const codes = column.codes;
      return {
        add: (seq: number) => {
          const code = codes[seq] as number;
          if (code >= 0) counts[code] = (counts[code] ?? 0) + 1;
        },
        buckets: (): FacetBucket[] => topTerms(counts, column.values, facet.size),
      };
    }
    if (facet.kind === 'range' && column.kind === 'number') {
      const counts = new Array<number>(facet.ranges.length).fill(0);
      const bounds = facet.ranges.map((range) => [range.from ?? -Infinity, range.to ?? Infinity]);
      const values = column.values;
      return {
        add: (seq: number) => {
          const value = values[seq] as number;
          for (let i = 0; i < bounds.length; i++) {
            const [from, to] = bounds[i] as [number, number];
            if (value >= from && value < to) counts[i] = (counts[i] ?? 0) + 1;
          }
        },
        buckets: (): FacetBucket[] =>
          facet.ranges.map((range, i) => ({
            from: range.from ?? null,
            to: range.to ?? null,
            count: counts[i] ?? 0,
          })),
      };
    }
    throw new Error(`facet ${facet.kind} on a ${column.kind} column`);
  });
  return {
    add: (seq: number) => {
      for (const counter of counters) counter.add(seq);
    },
    result: (): Record<string, FacetBucket[]> =>
      Object.fromEntries(facets.map((facet, i) => [facet.field.name, counters[i]!.buckets()])),
  };
}

/** The `size` commonest values, by count descending then value ascending (byte order). */
function topTerms(counts: Int32Array, values: string[], size: number): FacetBucket[] {
  const buckets: Array<{ value: string; count: number }> = [];
  counts.forEach((count, code) => {
    if (count > 0) buckets.push({ value: values[code] as string, count });
  });
  return buckets.sort((a, b) => b.count - a.count || compareText(a.value, b.value)).slice(0, size);
}
