import { ValidationError, type FieldError } from '../errors';
import { decodeCursor, type CursorValues } from './cursor';
import { typedField } from './declaration';
import { dateToMillis, type FieldValue } from './prepare-operations';
import type { IndexDeclaration, RangeBucketSpec, SearchQuery, TypedField } from './port';

export type RangeBound = 'gte' | 'gt' | 'lte' | 'lt';
export const RANGE_BOUNDS: readonly RangeBound[] = ['gte', 'gt', 'lte', 'lt'];

export type PreparedFilter =
  | { kind: 'term'; field: TypedField; value: Exclude<FieldValue, null> }
  | { kind: 'range'; field: TypedField; bounds: Partial<Record<RangeBound, number>> };
export type PreparedSort =
  { kind: 'relevance' } | { kind: 'field'; field: TypedField; order: 'asc' | 'desc' };
export type PreparedFacet =
  | { kind: 'terms'; field: TypedField; size: number }
  | { kind: 'range'; field: TypedField; ranges: readonly RangeBucketSpec[] };

/** A query checked against its index declaration; adapters translate only this. */
export interface PreparedQuery {
  /** Trimmed text, or null when blank (match everything). */
  text: string | null;
  filters: PreparedFilter[];
  sort: PreparedSort;
  /** Names the sort inside cursors. */
  sortKey: string;
  facets: PreparedFacet[];
  after: CursorValues | null;
  limit: number;
}

export const MAX_LIMIT = 1000;
export const MAX_TEXT_LENGTH = 1000;
const MAX_TERMS_SIZE = 100;
const MAX_RANGES = 50;

export function prepareQuery(declaration: IndexDeclaration, query: SearchQuery): PreparedQuery {
  const errors: FieldError[] = [];
  const field = (name: string, at: string, allowed: readonly string[]): TypedField | null => {
    const found = typedField(declaration, name);
    if (!found) errors.push({ field: at, message: `${name} is not a declared field` });
    else if (!allowed.includes(found.type)) {
      errors.push({ field: at, message: `${name} is a ${found.type} field` });
    } else return found;
    return null;
  };

  const q = query.q ?? '';
  if (typeof q !== 'string' || q.length > MAX_TEXT_LENGTH) {
    errors.push({ field: 'q', message: `must be text of at most ${MAX_TEXT_LENGTH} characters` });
  }
  const text = typeof q === 'string' && q.trim() !== '' ? q.trim() : null;

  const limit = query.limit ?? 20;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    errors.push({ field: 'limit', message: `must be an integer from 1 to ${MAX_LIMIT}` });
  }

  const filters: PreparedFilter[] = [];
  (query.filters ?? []).forEach((filter, i) => {
    const at = `filters[${i}]`;
    if (filter.kind === 'term') {
      const f = field(filter.field, `${at}.field`, ['keyword', 'number', 'boolean', 'date']);
      const value = f && termValue(f, filter.value);
      if (f && value === null) errors.push({ field: `${at}.value`, message: `not a ${f.type}` });
      if (f && value !== null) filters.push({ kind: 'term', field: f, value });
    } else if (filter.kind === 'range') {
      const f = field(filter.field, `${at}.field`, ['number', 'date']);
      const bounds: Partial<Record<RangeBound, number>> = {};
      for (const bound of RANGE_BOUNDS) {
        const raw = filter[bound];
        if (raw === undefined) continue;
        const value = f && (f.type === 'date' ? dateToMillis(raw) : finiteNumber(raw));
        if (value === null) errors.push({ field: `${at}.${bound}`, message: 'not a valid bound' });
        else bounds[bound] = value;
      }
      if (f) filters.push({ kind: 'range', field: f, bounds });
    } else {
      errors.push({ field: `${at}.kind`, message: 'must be term or range' });
    }
  });

  const sortSpec = query.sort ?? { kind: 'relevance' };
  let sort: PreparedSort = { kind: 'relevance' };
  if (sortSpec.kind === 'field') {
    const f = field(sortSpec.field, 'sort.field', ['keyword', 'number', 'date']);
    if (f && !f.sortable)
      errors.push({ field: 'sort.field', message: `${f.name} is not sortable` });
    if (sortSpec.order !== 'asc' && sortSpec.order !== 'desc') {
      errors.push({ field: 'sort.order', message: 'must be asc or desc' });
    }
    if (f) sort = { kind: 'field', field: f, order: sortSpec.order };
  } else if (sortSpec.kind !== 'relevance') {
    errors.push({ field: 'sort.kind', message: 'must be relevance or field' });
  }
  const sortKey = sort.kind === 'field' ? `${sort.field.name}:${sort.order}` : 'relevance';

  const facets: PreparedFacet[] = [];
  const facetFields = new Set<string>();
  (query.facets ?? []).forEach((facet, i) => {
    const at = `facets[${i}]`;
    if (facetFields.has(facet.field)) errors.push({ field: at, message: 'field requested twice' });
    facetFields.add(facet.field);
    if (facet.kind === 'terms') {
      const f = field(facet.field, `${at}.field`, ['keyword']);
      const size = facet.size ?? 10;
      if (!Number.isInteger(size) || size < 1 || size > MAX_TERMS_SIZE) {
        errors.push({ field: `${at}.size`, message: `must be from 1 to ${MAX_TERMS_SIZE}` });
      } else if (f) facets.push({ kind: 'terms', field: f, size });
    } else if (facet.kind === 'range') {
      const f = field(facet.field, `${at}.field`, ['number']);
      const problem = rangesProblem(facet.ranges);
      if (problem) errors.push({ field: `${at}.ranges`, message: problem });
      else if (f) facets.push({ kind: 'range', field: f, ranges: facet.ranges });
    } else {
      errors.push({ field: `${at}.kind`, message: 'must be terms or range' });
    }
  });

  if (errors.length > 0) throw new ValidationError(errors);
  const valueType =
    sort.kind === 'field'
      ? sort.field.type === 'keyword'
        ? 'string'
        : 'number'
      : text === null
        ? null
        : 'number';
  const after =
    query.cursor === undefined || query.cursor === ''
      ? null
      : decodeCursor(query.cursor, sortKey, valueType);
  return { text, filters, sort, sortKey, facets, after, limit };
}

function termValue(field: TypedField, raw: unknown): Exclude<FieldValue, null> | null {
  switch (field.type) {
    case 'keyword':
      return typeof raw === 'string' ? raw : null;
    case 'number':
      return finiteNumber(raw);
    case 'boolean':
      return typeof raw === 'boolean' ? raw : null;
    case 'date':
      return dateToMillis(raw);
  }
}

function finiteNumber(raw: unknown): number | null {
  return typeof raw === 'number' && Number.isFinite(raw) ? raw : null;
}

function rangesProblem(ranges: readonly RangeBucketSpec[]): string | null {
  if (!Array.isArray(ranges) || ranges.length === 0 || ranges.length > MAX_RANGES) {
    return `must list 1 to ${MAX_RANGES} ranges`;
  }
  for (const range of ranges) {
    const { from, to } = range;
    if (from !== undefined && finiteNumber(from) === null) return 'from must be a number';
    if (to !== undefined && finiteNumber(to) === null) return 'to must be a number';
    if (from !== undefined && to !== undefined && from >= to) return 'from must be below to';
  }
  return null;
}
