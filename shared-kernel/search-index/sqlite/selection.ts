import type { FacetBucket, IndexDeclaration } from '../port';
import type { PreparedFacet, PreparedFilter } from '../query';
import { columnOf, type Columns } from './columns';
import { compareText } from './ordering';

/** The documents that pass the filters, in candidate order, with their scores. */
export interface Selected {
  count: number;
  seqs: Int32Array;
  scores: Float64Array;
}

/**
 * Filters candidates (a text's matches, or every document) and counts the facets of those that
 * pass, in one loop over flat arrays: this runs once per candidate, so it reads one array slot
 * per filter and facet and calls nothing. A missing value never passes a filter, as SQL's
 * comparisons with NULL never hold; a keyword value no document holds passes nothing.
 */
export function selection(
  declaration: IndexDeclaration,
  columns: Columns,
  filters: readonly PreparedFilter[],
  facets: readonly PreparedFacet[],
) {
  const keywordCodes: Int32Array[] = [];
  const wantedCodes: number[] = [];
  const numbers: Float64Array[] = [];
  const lows: number[] = [];
  const highs: number[] = [];
  const lowsOpen: boolean[] = [];
  const highsOpen: boolean[] = [];
  let matchesNothing = false;
  for (const filter of filters) {
    const column = columnOf(declaration, columns, filter.field.name);
    if (column.kind === 'keyword') {
      const code = filter.kind === 'term' ? column.codeOf.get(String(filter.value)) : undefined;
      if (code === undefined) matchesNothing = true;
      keywordCodes.push(column.codes);
      wantedCodes.push(code ?? -2);
    } else if (filter.kind === 'term') {
      const wanted = typeof filter.value === 'boolean' ? Number(filter.value) : filter.value;
      if (typeof wanted !== 'number') matchesNothing = true;
      numbers.push(column.values);
      lows.push(Number(wanted));
      highs.push(Number(wanted));
      lowsOpen.push(false);
      highsOpen.push(false);
    } else {
      const { gte, gt, lte, lt } = filter.bounds;
      // The tighter of each pair of bounds; an open bound wins a tie with a closed one.
      numbers.push(column.values);
      lows.push(Math.max(gte ?? -Infinity, gt ?? -Infinity));
      highs.push(Math.min(lte ?? Infinity, lt ?? Infinity));
      lowsOpen.push(gt !== undefined && gt >= (gte ?? -Infinity));
      highsOpen.push(lt !== undefined && lt <= (lte ?? Infinity));
    }
  }
  const termCodes: Int32Array[] = [];
  const termCounts: Int32Array[] = [];
  const rangeValues: Float64Array[] = [];
  const rangeFrom: Float64Array[] = [];
  const rangeTo: Float64Array[] = [];
  const rangeCounts: Int32Array[] = [];
  const results: Array<() => FacetBucket[]> = [];
  for (const facet of facets) {
    const column = columnOf(declaration, columns, facet.field.name);
    if (facet.kind === 'terms' && column.kind === 'keyword') {
      const counts = new Int32Array(column.values.length);
      termCodes.push(column.codes);
      termCounts.push(counts);
      results.push(() => topTerms(counts, column.values, facet.size));
    } else if (facet.kind === 'range' && column.kind === 'number') {
      const counts = new Int32Array(facet.ranges.length);
      rangeValues.push(column.values);
      rangeFrom.push(Float64Array.from(facet.ranges, (range) => range.from ?? -Infinity));
      rangeTo.push(Float64Array.from(facet.ranges, (range) => range.to ?? Infinity));
      rangeCounts.push(counts);
      results.push(() =>
        facet.ranges.map((range, i) => ({
          from: range.from ?? null,
          to: range.to ?? null,
          count: counts[i] ?? 0,
        })),
      );
    } else {
      throw new Error(`facet ${facet.kind} on a ${column.kind} column`);
    }
  }

  /**
   * Candidates are `seqs` (with `scores`), or every seq when null; `into` must fit them all.
   * Column at a time: the live candidates are copied into `into`, each filter then keeps those
   * that pass it, and each facet counts what is left, every step a tight loop over typed arrays.
   */
  const scan = (seqs: Int32Array | null, scores: Float64Array | null, into: Selected): void => {
    into.count = 0;
    if (matchesNothing) return;
    const live = columns.live;
    const out = into.seqs;
    const outScores = into.scores;
    let count = 0;
    if (seqs && scores) {
      for (let i = 0; i < seqs.length; i++) {
        const seq = seqs[i] as number;
        if (live[seq] !== 1) continue;
        out[count] = seq;
        outScores[count++] = scores[i] as number;
      }
    } else {
      for (let seq = 1; seq < columns.size; seq++) if (live[seq] === 1) out[count++] = seq;
      outScores.fill(0, 0, count);
    }
    for (let f = 0; f < keywordCodes.length; f++) {
      count = keepWhereCode(out, outScores, count, keywordCodes[f]!, wantedCodes[f]!);
    }
    for (let f = 0; f < numbers.length; f++) {
      count = keepWhereBetween(out, outScores, count, numbers[f]!, lows[f]!, highs[f]!, {
        lowOpen: lowsOpen[f]!,
        highOpen: highsOpen[f]!,
      });
    }
    into.count = count;
    for (let f = 0; f < termCodes.length; f++)
      countCodes(out, count, termCodes[f]!, termCounts[f]!);
    for (let f = 0; f < rangeValues.length; f++) {
      countRanges(out, count, rangeValues[f]!, rangeFrom[f]!, rangeTo[f]!, rangeCounts[f]!);
    }
  };
  const facetBuckets = (): Record<string, FacetBucket[]> =>
    Object.fromEntries(facets.map((facet, i) => [facet.field.name, results[i]!()]));
  return { scan, facetBuckets };
}

function keepWhereCode(
  seqs: Int32Array,
  scores: Float64Array,
  count: number,
  codes: Int32Array,
  wanted: number,
): number {
  let kept = 0;
  for (let i = 0; i < count; i++) {
    const seq = seqs[i] as number;
    if (codes[seq] !== wanted) continue;
    seqs[kept] = seq;
    scores[kept++] = scores[i] as number;
  }
  return kept;
}

/** NaN (no value) fails every comparison, so a document without the field never passes. */
function keepWhereBetween(
  seqs: Int32Array,
  scores: Float64Array,
  count: number,
  values: Float64Array,
  low: number,
  high: number,
  { lowOpen, highOpen }: { lowOpen: boolean; highOpen: boolean },
): number {
  let kept = 0;
  for (let i = 0; i < count; i++) {
    const seq = seqs[i] as number;
    const value = values[seq] as number;
    if (!(lowOpen ? value > low : value >= low) || !(highOpen ? value < high : value <= high)) {
      continue;
    }
    seqs[kept] = seq;
    scores[kept++] = scores[i] as number;
  }
  return kept;
}

function countCodes(seqs: Int32Array, count: number, codes: Int32Array, counts: Int32Array) {
  for (let i = 0; i < count; i++) {
    const code = codes[seqs[i] as number] as number;
    if (code >= 0) counts[code] = (counts[code] as number) + 1;
  }
}

function countRanges(
  seqs: Int32Array,
  count: number,
  values: Float64Array,
  from: Float64Array,
  to: Float64Array,
  counts: Int32Array,
) {
  for (let i = 0; i < count; i++) {
    const value = values[seqs[i] as number] as number;
    for (let r = 0; r < from.length; r++) {
      if (value >= (from[r] as number) && value < (to[r] as number)) {
        counts[r] = (counts[r] as number) + 1;
      }
    }
  }
}

/** The `size` commonest values, by count descending then value ascending (byte order). */
function topTerms(counts: Int32Array, values: string[], size: number): FacetBucket[] {
  const buckets: Array<{ value: string; count: number }> = [];
  counts.forEach((count, code) => {
    if (count > 0) buckets.push({ value: values[code] as string, count });
  });
  return buckets.sort((a, b) => b.count - a.count || compareText(a.value, b.value)).slice(0, size);
}
