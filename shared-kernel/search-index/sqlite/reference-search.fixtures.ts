import type { Product } from '../contract/contract.fixtures';
import type { FacetBucket, SearchFilter, SearchQuery } from '../port';
import { compareText } from './ordering';

/** The live documents by id. */
export type ReferenceCatalogue = Map<string, Product>;

/**
 * What a search of `catalogue` must answer, computed the slow, obvious way: every document is
 * tested, the matches are sorted in full, facets are counted over all of them. Text is matched
 * word by word (every query word in the name or the description), which holds for words whose
 * stems are themselves; relevance order itself is left to the engine.
 */
export function referenceSearch(
  catalogue: ReferenceCatalogue,
  query: SearchQuery,
): { ids: string[]; facets: Record<string, FacetBucket[]> } {
  const words = (query.q ?? '').split(/\s+/).filter((word) => word !== '');
  const holds = (text: string, word: string) => text.split(' ').includes(word);
  const matches = [...catalogue].filter(
    ([, doc]) =>
      words.every((word) => holds(doc.name, word) || holds(doc.description, word)) &&
      (query.filters ?? []).every((filter) => passes(doc, filter)),
  );
  const sort = query.sort ?? { kind: 'relevance' };
  const byId = (a: string, b: string) => compareText(a, b);
  if (sort.kind === 'field') {
    const sign = sort.order === 'asc' ? 1 : -1;
    const value = (doc: Product) => sortValue(doc, sort.field);
    matches.sort(([a, x], [b, y]) => sign * (value(x) - value(y) || byId(a, b)));
  } else matches.sort(([a], [b]) => byId(a, b));
  const facets: Record<string, FacetBucket[]> = {};
  for (const facet of query.facets ?? []) {
    if (facet.kind === 'terms') {
      const counts = new Map<string, number>();
      for (const [, doc] of matches) {
        const value = String(doc[facet.field as keyof Product]);
        counts.set(value, (counts.get(value) ?? 0) + 1);
      }
      facets[facet.field] = [...counts]
        .map(([value, count]) => ({ value, count }))
        .sort((a, b) => b.count - a.count || compareText(a.value, b.value))
        .slice(0, facet.size ?? 10);
    } else {
      facets[facet.field] = facet.ranges.map((range) => ({
        from: range.from ?? null,
        to: range.to ?? null,
        count: matches.filter(([, doc]) => {
          const value = sortValue(doc, facet.field);
          return value >= (range.from ?? -Infinity) && value < (range.to ?? Infinity);
        }).length,
      }));
    }
  }
  return { ids: matches.map(([id]) => id), facets };
}

function sortValue(doc: Product, field: string): number {
  const value = doc[field as keyof Product];
  return typeof value === 'string' ? Date.parse(value) : Number(value);
}

function passes(doc: Product, filter: SearchFilter): boolean {
  const value = doc[filter.field as keyof Product];
  if (filter.kind === 'term') return value === filter.value;
  const number = sortValue(doc, filter.field);
  const { gte, gt, lte, lt } = filter;
  return (
    (gte === undefined || number >= Number(gte)) &&
    (gt === undefined || number > Number(gt)) &&
    (lte === undefined || number <= Number(lte)) &&
    (lt === undefined || number < Number(lt))
  );
}
