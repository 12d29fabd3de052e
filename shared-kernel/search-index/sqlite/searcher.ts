import type { Database, Statement } from 'better-sqlite3';
import { encodeCursor } from '../cursor';
import type { FacetBucket, IndexDeclaration, SearchHit, SearchPage } from '../port';
import type { PreparedQuery } from '../query';
import { searchSql, type SqlParam, type SqlStatement } from './search-sql';

export interface StatementCache {
  get(sql: string): Statement<SqlParam[]>;
  clear(): void;
}

const MAX_CACHED_STATEMENTS = 256;

/**
 * Searches differ in shape (which filters, facets, sort) far less than in values, so prepared
 * statements are kept by SQL text; the cache is simply emptied when it fills up.
 */
export function statementCache(db: Database): StatementCache {
  const cache = new Map<string, Statement<SqlParam[]>>();
  return {
    get(sql) {
      let statement = cache.get(sql);
      if (!statement) {
        if (cache.size >= MAX_CACHED_STATEMENTS) cache.clear();
        statement = db.prepare<SqlParam[]>(sql);
        cache.set(sql, statement);
      }
      return statement;
    },
    clear: () => cache.clear(),
  };
}

interface PageRow {
  id: string;
  doc: string;
  score: number | null;
  sortValue: string | number | null;
}

export function runSearch(
  statements: StatementCache,
  target: string,
  declaration: IndexDeclaration,
  query: PreparedQuery,
): SearchPage {
  const sql = searchSql(target, declaration, query);
  // 'rows': arrays instead of objects, for the aggregate whose columns vary with the request.
  const run = <T>(statement: SqlStatement, mode: 'all' | 'rows'): T =>
    statements
      .get(statement.sql)
      .raw(mode === 'rows')
      .all(...statement.params) as T;

  const rows = run<PageRow[]>(sql.page, 'all');
  const more = rows.length > query.limit;
  const pageRows = more ? rows.slice(0, query.limit) : rows;
  const hits: SearchHit[] = pageRows.map((row) => ({
    id: row.id,
    doc: JSON.parse(row.doc) as SearchHit['doc'],
    // bm25 is lower for better matches; the port promises higher is better.
    score: row.score === null ? null : -row.score,
  }));
  const last = pageRows[pageRows.length - 1];
  const nextCursor =
    more && last
      ? encodeCursor(query.sortKey, last.sortValue === null ? [last.id] : [last.sortValue, last.id])
      : null;

  const groups = run<Array<[string | null, number, ...number[]]>>(sql.aggregate, 'rows');
  const sums = new Array<number>(groups[0]?.length ?? 2).fill(0);
  for (const group of groups) {
    for (let i = 1; i < group.length; i++) sums[i] = (sums[i] ?? 0) + (group[i] as number);
  }
  const facets: Record<string, FacetBucket[]> = {};
  let column = 2;
  for (const facet of query.facets) {
    if (facet.kind === 'range') {
      facets[facet.field.name] = facet.ranges.map((range) => ({
        from: range.from ?? null,
        to: range.to ?? null,
        count: sums[column++] ?? 0,
      }));
    } else if (facet.field.name === sql.aggregate.groupedBy) {
      facets[facet.field.name] = groups
        .filter((group): group is [string, number] => group[0] !== null)
        .map(([value, count]) => ({ value, count }))
        .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1))
        .slice(0, facet.size);
    }
  }
  for (const statement of sql.terms) {
    facets[statement.field] = run<Array<{ value: string; count: number }>>(statement, 'all');
  }
  return { hits, total: sums[1] ?? 0, facets, nextCursor };
}
