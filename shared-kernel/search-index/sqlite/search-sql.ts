import type { PreparedFilter, PreparedQuery } from '../query';
import type { IndexDeclaration } from '../port';
import { matchExpression } from './match-expression';
import { docsTable, fieldColumn, ftsTable } from './schema';
import { toColumnValue } from './writer';

export type SqlParam = string | number | null;
export interface SqlStatement {
  sql: string;
  params: SqlParam[];
}

export interface SearchSql {
  /** The page, one row more than the limit to tell whether another page follows. */
  page: SqlStatement;
  /**
   * Total and range-facet buckets, in one pass over the matches: grouped by the first terms
   * facet's field when there is one (its groups are that facet, their sums the totals), so the
   * commonest search (text, a category facet, price buckets) reads its matches only twice.
   * Columns: `value`, `count`, then one per range bucket in request order.
   */
  aggregate: SqlStatement & { groupedBy: string | null };
  /** Every further terms facet, in request order. */
  terms: Array<SqlStatement & { field: string }>;
}

const RANGE_OPERATORS = { gte: '>=', gt: '>', lte: '<=', lt: '<' } as const;

/**
 * Builds the statements of one search. Only placeholders carry values; identifiers come from
 * the validated declaration. With text, matches come from FTS5 ranked by bm25 with the declared
 * boosts as column weights (bm25 is lower for better matches, so relevance sorts ascending);
 * the aggregates read the same matches without computing bm25, which is the costly part.
 */
export function searchSql(
  target: string,
  declaration: IndexDeclaration,
  query: PreparedQuery,
): SearchSql {
  const docs = docsTable(target);
  const fromParams: SqlParam[] = [];
  let from = `${docs} d`;
  let aggregateFrom = from;
  let score = 'NULL';
  if (query.text !== null) {
    const fts = ftsTable(target);
    const weights = declaration.text.map((field) => field.boost.toFixed(6)).join(', ');
    const join = `m JOIN ${docs} d ON d.seq = m.seq`;
    from = `(SELECT rowid AS seq, bm25(${fts}, ${weights}) AS score FROM ${fts} WHERE ${fts} MATCH ?) ${join}`;
    aggregateFrom = `(SELECT rowid AS seq FROM ${fts} WHERE ${fts} MATCH ?) ${join}`;
    fromParams.push(matchExpression(query.text));
    score = 'm.score';
  }
  const conditions = ['d.deleted = 0'];
  const whereParams: SqlParam[] = [];
  for (const filter of query.filters) addFilter(filter, conditions, whereParams);
  const where = conditions.join(' AND ');

  const { orderBy, sortValue, after, afterParams } = ordering(query, score);
  const pageWhere = after ? `${where} AND ${after}` : where;
  const page = {
    sql:
      `SELECT d.id AS id, d.doc AS doc, ${score} AS score, ${sortValue} AS sortValue ` +
      `FROM ${from} WHERE ${pageWhere} ORDER BY ${orderBy} LIMIT ?`,
    params: [...fromParams, ...whereParams, ...afterParams, query.limit + 1],
  };

  const bucketColumns: string[] = [];
  const bucketParams: SqlParam[] = [];
  for (const facet of query.facets) {
    if (facet.kind !== 'range') continue;
    const column = `d.${fieldColumn(facet.field.name)}`;
    for (const range of facet.ranges) {
      // A comparison with NULL is never true, so documents without the field count nowhere.
      const tests = [`${column} IS NOT NULL`];
      if (range.from !== undefined) {
        tests.push(`${column} >= ?`);
        bucketParams.push(range.from);
      }
      if (range.to !== undefined) {
        tests.push(`${column} < ?`);
        bucketParams.push(range.to);
      }
      bucketColumns.push(`count(CASE WHEN ${tests.join(' AND ')} THEN 1 END)`);
    }
  }
  const termsFacets = query.facets.filter((facet) => facet.kind === 'terms');
  const [grouped, ...others] = termsFacets;
  const groupColumn = grouped ? `d.${fieldColumn(grouped.field.name)}` : 'NULL';
  const aggregate = {
    sql:
      `SELECT ${[`${groupColumn} AS value`, 'count(*) AS count', ...bucketColumns].join(', ')} ` +
      `FROM ${aggregateFrom} WHERE ${where}${grouped ? ` GROUP BY ${groupColumn}` : ''}`,
    params: [...bucketParams, ...fromParams, ...whereParams],
    groupedBy: grouped ? grouped.field.name : null,
  };
  const terms = others.map((facet) => {
    const column = `d.${fieldColumn(facet.field.name)}`;
    return {
      sql:
        `SELECT ${column} AS value, count(*) AS count FROM ${aggregateFrom} ` +
        `WHERE ${where} AND ${column} IS NOT NULL GROUP BY ${column} ` +
        `ORDER BY count DESC, value ASC LIMIT ?`,
      params: [...fromParams, ...whereParams, facet.size],
      field: facet.field.name,
    };
  });
  return { page, aggregate, terms };
}

function addFilter(filter: PreparedFilter, conditions: string[], params: SqlParam[]): void {
  const column = `d.${fieldColumn(filter.field.name)}`;
  if (filter.kind === 'term') {
    conditions.push(`${column} = ?`);
    params.push(toColumnValue(filter.value));
    return;
  }
  for (const [bound, value] of Object.entries(filter.bounds)) {
    conditions.push(`${column} ${RANGE_OPERATORS[bound as keyof typeof RANGE_OPERATORS]} ?`);
    params.push(value);
  }
}

/**
 * Keyset pagination: the cursor holds the last row's sort value and id, and the next page
 * starts strictly after that pair. Ties on a field sort are broken by id in the same direction,
 * so one index on (field, id) serves both directions.
 */
function ordering(query: PreparedQuery, score: string) {
  const after = query.after;
  if (query.sort.kind === 'field') {
    const column = `d.${fieldColumn(query.sort.field.name)}`;
    const dir = query.sort.order === 'asc' ? 'ASC' : 'DESC';
    const op = query.sort.order === 'asc' ? '>' : '<';
    return {
      orderBy: `${column} ${dir}, d.id ${dir}`,
      sortValue: column,
      after: after && `(${column}, d.id) ${op} (?, ?)`,
      afterParams: after ? [after[0], after[1] ?? null] : [],
    };
  }
  if (query.text === null) {
    return {
      orderBy: 'd.id ASC',
      sortValue: 'NULL',
      after: after && 'd.id > ?',
      afterParams: after ? [after[0]] : [],
    };
  }
  return {
    orderBy: `${score} ASC, d.id ASC`,
    sortValue: score,
    after: after && `(${score}, d.id) > (?, ?)`,
    afterParams: after ? [after[0], after[1] ?? null] : [],
  };
}
