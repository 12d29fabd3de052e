import { ValidationError, type FieldError } from '../errors';
import { decodeCursor, isScalar } from './cursor';
import { KEY_FIELD, checkFieldPath } from './names';
import { MAX_QUERY_LIMIT, type Condition, type IndexField, type Query, type Scalar } from './port';

/**
 * Turns a caller's query into a plan both adapters translate, after checking every part of it:
 * only declared fields, only known operators, only scalar values. Anything else is a
 * ValidationError here and never reaches a store, whatever the HTTP edge let through.
 */
export type RangeOp = 'gt' | 'gte' | 'lt' | 'lte';
export type PlannedCondition =
  | { field: string; op: 'eq'; value: Scalar }
  | { field: string; op: RangeOp; value: string | number }
  | { field: string; op: 'in'; values: Array<string | number | boolean> };

export interface PlannedQuery {
  conditions: PlannedCondition[];
  /** The requested sort, ending with the key (in the direction of the last key) as tie-breaker. */
  sort: IndexField[];
  /** Values of the last item of the previous page, aligned with `sort`. */
  after: Scalar[] | null;
  limit: number;
}

const RANGE_OPS: readonly RangeOp[] = ['gt', 'gte', 'lt', 'lte'];
const MAX_IN_VALUES = 1000;

export function planWhere(where: unknown, queryable: ReadonlySet<string>): PlannedCondition[] {
  if (where === undefined || where === null) return [];
  if (typeof where !== 'object' || Array.isArray(where)) {
    throw new ValidationError([
      { field: 'where', message: 'must be an object of field conditions' },
    ]);
  }
  const errors: FieldError[] = [];
  const conditions: PlannedCondition[] = [];
  for (const [field, condition] of Object.entries(where as Record<string, Condition>)) {
    const at = `where.${field}`;
    if (!queryable.has(field)) {
      errors.push({ field: at, message: `"${field}" is not a declared (indexed) field` });
    } else if (isScalar(condition)) {
      conditions.push({ field, op: 'eq', value: condition });
    } else if (typeof condition !== 'object' || Array.isArray(condition)) {
      errors.push({ field: at, message: 'must be a scalar or an object of operators' });
    } else if (Object.keys(condition).length === 0) {
      errors.push({ field: at, message: 'has no operator' });
    } else {
      for (const [op, value] of Object.entries(condition)) {
        const problem = planOperator(field, op, value, conditions);
        if (problem) errors.push({ field: `${at}.${op}`, message: problem });
      }
    }
  }
  if (errors.length > 0) throw new ValidationError(errors);
  return conditions;
}

/** Adds the condition, or returns what is wrong with it. */
function planOperator(
  field: string,
  op: string,
  value: unknown,
  out: PlannedCondition[],
): string | null {
  if (op === 'eq') {
    if (!isScalar(value)) return 'must be a string, number, boolean or null';
    out.push({ field, op, value });
  } else if ((RANGE_OPS as readonly string[]).includes(op)) {
    if (typeof value !== 'string' && !(typeof value === 'number' && Number.isFinite(value))) {
      return 'a range bound must be a string or a finite number';
    }
    out.push({ field, op: op as RangeOp, value });
  } else if (op === 'in') {
    if (!Array.isArray(value) || value.length === 0 || value.length > MAX_IN_VALUES) {
      return `must be an array of 1 to ${MAX_IN_VALUES} values`;
    }
    if (!value.every((v) => isScalar(v) && v !== null))
      return 'values must be strings, numbers or booleans';
    out.push({ field, op, values: value as Array<string | number | boolean> });
  } else {
    return `unknown operator "${op}" (use eq, gt, gte, lt, lte or in)`;
  }
  return null;
}

export function planSort(sort: unknown, queryable: ReadonlySet<string>): IndexField[] {
  const requested = sort ?? [];
  if (!Array.isArray(requested) || requested.length > 8) {
    throw new ValidationError([{ field: 'sort', message: 'must be an array of at most 8 keys' }]);
  }
  const errors: FieldError[] = [];
  const keys: IndexField[] = [];
  requested.forEach((key: Partial<IndexField> | undefined, i) => {
    const field = key?.field;
    if (typeof field !== 'string' || !queryable.has(field) || keys.some((k) => k.field === field)) {
      errors.push({
        field: `sort[${i}].field`,
        message: `"${String(field)}" is not a declared field, or repeated`,
      });
    } else if (key?.direction !== 'asc' && key?.direction !== 'desc') {
      errors.push({ field: `sort[${i}].direction`, message: 'must be "asc" or "desc"' });
    } else {
      keys.push({ field: checkFieldPath(field, `sort[${i}].field`), direction: key.direction });
    }
  });
  if (errors.length > 0) throw new ValidationError(errors);
  // The key is unique, so keys after it never matter; without it, it breaks ties.
  const keyAt = keys.findIndex((k) => k.field === KEY_FIELD);
  if (keyAt >= 0) return keys.slice(0, keyAt + 1);
  keys.push({ field: KEY_FIELD, direction: keys[keys.length - 1]?.direction ?? 'asc' });
  return keys;
}

export function planQuery(query: Query, queryable: ReadonlySet<string>): PlannedQuery {
  const { limit } = query;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_QUERY_LIMIT) {
    throw new ValidationError([
      { field: 'limit', message: `must be an integer from 1 to ${MAX_QUERY_LIMIT}` },
    ]);
  }
  const conditions = planWhere(query.where, queryable);
  const sort = planSort(query.sort, queryable);
  if (query.cursor !== undefined && query.cursor !== null && typeof query.cursor !== 'string') {
    throw new ValidationError([{ field: 'cursor', message: 'must be a string' }]);
  }
  const after = query.cursor ? decodeCursor(query.cursor, sort) : null;
  return { conditions, sort, after, limit };
}
