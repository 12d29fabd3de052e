import { ValidationError } from '../errors';
import type { IndexField, Scalar } from './port';

/**
 * Keyset cursors: the sort values and id of the last item of a page, so the next page starts
 * strictly after it however many documents were written meanwhile. The sort is part of the
 * cursor: a cursor made for one sort cannot silently page through another.
 */
interface CursorBody {
  s: string;
  v: Scalar[];
}

function signature(sort: readonly IndexField[]): string {
  return sort.map((k) => `${k.field}:${k.direction}`).join(',');
}

export function isScalar(value: unknown): value is Scalar {
  return (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  );
}

export function encodeCursor(sort: readonly IndexField[], values: readonly Scalar[]): string {
  const body: CursorBody = { s: signature(sort), v: [...values] };
  return Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
}

/** The values a cursor carries, one per sort key (the last is the id). */
export function decodeCursor(cursor: string, sort: readonly IndexField[]): Scalar[] {
  const invalid = (why: string) => new ValidationError([{ field: 'cursor', message: why }]);
  if (cursor.length > 4096) throw invalid('is too long');
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid('is not a cursor returned by this query');
  }
  const { s, v } = (body ?? {}) as Partial<CursorBody>;
  if (typeof s !== 'string' || !Array.isArray(v) || !v.every(isScalar)) {
    throw invalid('is not a cursor returned by this query');
  }
  if (s !== signature(sort) || v.length !== sort.length || typeof v[v.length - 1] !== 'string') {
    throw invalid('was made for a different sort');
  }
  return v;
}
