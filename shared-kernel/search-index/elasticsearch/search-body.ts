import type { estypes } from '@elastic/elasticsearch';
import { encodeCursor } from '../cursor';
import type { FacetBucket, IndexDeclaration, SearchDocument, SearchPage } from '../port';
import type { PreparedFilter, PreparedQuery } from '../query';

/**
 * The search request for a prepared query. Text goes through `multi_match` only, never
 * `query_string`, so no character of it is syntax; `cross_fields` with `operator: and` asks for
 * every word in any field, as the FTS5 adapter does, weighting fields by their boosts.
 */
export function searchRequest(
  alias: string,
  declaration: IndexDeclaration,
  query: PreparedQuery,
): estypes.SearchRequest {
  const must: estypes.QueryDslQueryContainer[] = [];
  if (query.text !== null) {
    must.push({
      multi_match: {
        query: query.text,
        type: 'cross_fields',
        operator: 'and',
        zero_terms_query: 'none',
        fields: declaration.text.map((f) => (f.boost === 1 ? f.name : `${f.name}^${f.boost}`)),
      },
    });
  }
  const request: estypes.SearchRequest = {
    index: alias,
    size: query.limit + 1,
    track_total_hits: true,
    _source: ['doc'],
    query: {
      bool: {
        must,
        filter: query.filters.map(filterClause),
        must_not: [{ term: { deleted: true } }],
      },
    },
    sort: sortClause(query),
  };
  const aggs = aggregations(query);
  if (Object.keys(aggs).length > 0) request.aggs = aggs;
  if (query.after) request.search_after = query.after;
  return request;
}

function filterClause(filter: PreparedFilter): estypes.QueryDslQueryContainer {
  const field = filter.field.name;
  if (filter.kind === 'term') return { term: { [field]: filter.value } };
  return { range: { [field]: { ...filter.bounds } } };
}

/** Ties are broken by id in the sort's direction; relevance is best first, ties by id asc. */
function sortClause(query: PreparedQuery): estypes.SortCombinations[] {
  if (query.sort.kind === 'field') {
    const order = query.sort.order;
    return [{ [query.sort.field.name]: { order } }, { id: { order } }];
  }
  if (query.text === null) return [{ id: { order: 'asc' } }];
  return [{ _score: { order: 'desc' } }, { id: { order: 'asc' } }];
}

function aggregations(
  query: PreparedQuery,
): Record<string, estypes.AggregationsAggregationContainer> {
  const aggs: Record<string, estypes.AggregationsAggregationContainer> = {};
  for (const facet of query.facets) {
    const field = facet.field.name;
    if (facet.kind === 'terms') {
      aggs[field] = {
        terms: { field, size: facet.size, order: [{ _count: 'desc' }, { _key: 'asc' }] },
      };
    } else {
      // Keyed buckets: Elasticsearch sorts range buckets by bound; the keys restore our order.
      aggs[field] = {
        range: {
          field,
          keyed: true,
          ranges: facet.ranges.map((range, i) => ({ key: `r${i}`, ...range })),
        },
      };
    }
  }
  return aggs;
}

type Source = { doc?: SearchDocument };
type Buckets = { buckets: unknown };

export function searchPage(
  query: PreparedQuery,
  response: estypes.SearchResponse<Source>,
): SearchPage {
  const hits = response.hits.hits;
  const more = hits.length > query.limit;
  const pageHits = more ? hits.slice(0, query.limit) : hits;
  const last = pageHits[pageHits.length - 1];
  const total = response.hits.total;
  const facets: Record<string, FacetBucket[]> = {};
  for (const facet of query.facets) {
    const agg = response.aggregations?.[facet.field.name] as Buckets | undefined;
    if (facet.kind === 'terms') {
      const buckets = (agg?.buckets ?? []) as Array<{ key: string; doc_count: number }>;
      facets[facet.field.name] = buckets.map((b) => ({ value: b.key, count: b.doc_count }));
    } else {
      const buckets = (agg?.buckets ?? {}) as Record<string, { doc_count: number }>;
      facets[facet.field.name] = facet.ranges.map((range, i) => ({
        from: range.from ?? null,
        to: range.to ?? null,
        count: buckets[`r${i}`]?.doc_count ?? 0,
      }));
    }
  }
  return {
    hits: pageHits.map((hit) => ({
      id: hit._id as string,
      doc: hit._source?.doc ?? {},
      score: query.text === null ? null : (hit._score ?? null),
    })),
    total: typeof total === 'number' ? total : (total?.value ?? 0),
    facets,
    nextCursor:
      more && last?.sort
        ? encodeCursor(query.sortKey, last.sort as [string] | [number, string])
        : null,
  };
}
