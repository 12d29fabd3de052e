import { ValidationError } from '../errors';

/**
 * A cursor is the last hit's sort values plus its id (search_after style), wrapped with the sort
 * it belongs to and base64url-encoded: callers pass it back untouched and cannot forge a
 * different sort's position by accident.
 */
export type CursorValues = [string] | [string | number, string];

export function encodeCursor(sortKey: string, values: CursorValues): string {
  return Buffer.from(JSON.stringify({ k: sortKey, v: values }), 'utf8').toString('base64url');
}

/**
 * Decodes and checks a cursor against the sort it is used with: `valueType` is what the sort
 * value must be, or null when the sort has no value before the id (relevance without text).
 */
export function decodeCursor(
  cursor: string,
  sortKey: string,
  valueType: 'string' | 'number' | null,
): CursorValues {
  const invalid = (message: string) => new ValidationError([{ field: 'cursor', message }]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid('is not a cursor returned by this search');
  }
  if (typeof parsed !== 'object' || parsed === null || !('k' in parsed) || !('v' in parsed)) {
    throw invalid('is not a cursor returned by this search');
  }
  if (parsed.k !== sortKey) throw invalid(`belongs to another sort (${String(parsed.k)})`);
  const values = parsed.v;
  const expectedLength = valueType === null ? 1 : 2;
  if (!Array.isArray(values) || values.length !== expectedLength) {
    throw invalid('is not a cursor returned by this search');
  }
  const id: unknown = values[expectedLength - 1];
  if (typeof id !== 'string') throw invalid('is not a cursor returned by this search');
  if (valueType === null) return [id];
  const value: unknown = values[0];
  if (typeof value !== valueType || (typeof value === 'number' && !Number.isFinite(value))) {
    throw invalid('is not a cursor returned by this search');
  }
  return [value as string | number, id];
}
