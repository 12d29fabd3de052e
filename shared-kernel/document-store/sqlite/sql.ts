import { physicalIndexName } from '../declaration';
import { KEY_FIELD } from '../names';
import type { CollectionDeclaration, IndexField, Scalar } from '../port';
import type { PlannedCondition, PlannedQuery } from '../query';

/**
 * SQL text for JSON documents. Index definitions and queries get their field expressions from
 * the same function, because SQLite only uses an expression index when the query's expression is
 * textually the same. Paths and names are inlined only after names.ts has checked them against
 * identifier patterns; every value is a bound parameter.
 */
export function fieldExpr(field: string): string {
  return field === KEY_FIELD ? 'id' : `json_extract(doc, '$.${field}')`;
}

export function quoted(identifier: string): string {
  return `"${identifier}"`;
}

export function createTableSql(target: string): string {
  return `CREATE TABLE ${quoted(target)} (id TEXT PRIMARY KEY, doc TEXT NOT NULL)`;
}

/** Each index ends with the key, in the direction of its last field, to serve the tie-breaker. */
export function createIndexSql(
  target: string,
  declaration: CollectionDeclaration,
): Map<string, string> {
  const statements = new Map<string, string>();
  for (const index of declaration.indexes) {
    const name = physicalIndexName(target, index);
    const last = index.fields[index.fields.length - 1]?.direction ?? 'asc';
    const columns = [...index.fields, { field: KEY_FIELD, direction: last }]
      .map((f) => `${fieldExpr(f.field)} ${f.direction.toUpperCase()}`)
      .join(', ');
    statements.set(
      name,
      `CREATE INDEX IF NOT EXISTS ${quoted(name)} ON ${quoted(target)} (${columns})`,
    );
  }
  return statements;
}

/** SQLite has no boolean: JSON true and false read back as 1 and 0, so bind them that way. */
export function bindable(value: Scalar): string | number | null {
  return typeof value === 'boolean' ? (value ? 1 : 0) : value;
}

export interface SqlFilter {
  sql: string;
  params: Array<string | number | null>;
}

const RANGE_SQL = { gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

export function whereSql(conditions: readonly PlannedCondition[]): SqlFilter {
  const parts: string[] = [];
  const params: Array<string | number | null> = [];
  for (const c of conditions) {
    const expr = fieldExpr(c.field);
    if (c.op === 'eq') {
      if (c.value === null) {
        parts.push(`${expr} IS NULL`);
      } else {
        parts.push(`${expr} = ?`);
        params.push(bindable(c.value));
      }
    } else if (c.op === 'in') {
      parts.push(`${expr} IN (SELECT value FROM json_each(?))`);
      params.push(JSON.stringify(c.values.map(bindable)));
    } else {
      parts.push(`${expr} ${RANGE_SQL[c.op]} ?`);
      params.push(c.value);
    }
  }
  return { sql: parts.length > 0 ? parts.join(' AND ') : '1', params };
}

/**
 * Rows strictly after the cursor in the sort order. NULLs sort first ascending and last
 * descending (as in MongoDB), so "after NULL" and "after v" are spelled out per key.
 */
export function afterSql(sort: readonly IndexField[], after: readonly Scalar[]): SqlFilter {
  const params: Array<string | number | null> = [];
  const build = (i: number): string => {
    const key = sort[i] as IndexField;
    const expr = fieldExpr(key.field);
    const value = bindable(after[i] ?? null);
    let beyond: string;
    if (key.direction === 'asc') beyond = value === null ? `${expr} IS NOT NULL` : `${expr} > ?`;
    else if (value === null) beyond = '0';
    // The key is never null, so past it there is no null branch to add.
    else beyond = key.field === KEY_FIELD ? `${expr} < ?` : `(${expr} < ? OR ${expr} IS NULL)`;
    if (value !== null) params.push(value);
    if (i === sort.length - 1) return beyond;
    const equal = value === null ? `${expr} IS NULL` : `${expr} = ?`;
    if (value !== null) params.push(value);
    return `(${beyond} OR (${equal} AND ${build(i + 1)}))`;
  };
  return { sql: build(0), params };
}

export function selectSql(target: string, plan: PlannedQuery): SqlFilter {
  const filter = whereSql(plan.conditions);
  const after = plan.after ? afterSql(plan.sort, plan.after) : null;
  const sortValues = plan.sort.map((k, i) => `${fieldExpr(k.field)} AS s${i}`).join(', ');
  const order = plan.sort
    .map((k) => `${fieldExpr(k.field)} ${k.direction.toUpperCase()}`)
    .join(', ');
  return {
    sql:
      `SELECT id, doc, ${sortValues} FROM ${quoted(target)} WHERE ${filter.sql}` +
      (after ? ` AND ${after.sql}` : '') +
      ` ORDER BY ${order} LIMIT ?`,
    params: [...filter.params, ...(after?.params ?? []), plan.limit + 1],
  };
}
