import { ValidationError } from '../errors';
import type { Position } from '../events/envelope';

/**
 * Names that end up inside SQL text or Mongo namespaces are checked against strict patterns
 * first, so nothing a caller passes can change the meaning of a statement.
 */

/** Lowercase words joined by single underscores: `__` is kept for the version suffix. */
const COLLECTION = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/;
const FIELD_SEGMENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const INDEX = /^[A-Za-z][A-Za-z0-9_]{0,62}$/;
const PROCESSOR = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
const POSITION = /^[0-9a-f]{1,64}$/;
const TARGET = /^([a-z][a-z0-9]*(?:_[a-z0-9]+)*)__v([1-9][0-9]{0,8})$/;

/** The document key: always queryable and sortable, never declared. */
export const KEY_FIELD = 'id';
export const MAX_ID_LENGTH = 512;
const MAX_COLLECTION_LENGTH = 48;
const MAX_FIELD_DEPTH = 8;

function fail(field: string, message: string): never {
  throw new ValidationError([{ field, message }]);
}

export function checkCollectionName(name: unknown, field = 'collection'): string {
  if (typeof name !== 'string' || name.length > MAX_COLLECTION_LENGTH || !COLLECTION.test(name)) {
    fail(
      field,
      `must be lowercase words joined by single underscores, at most ${MAX_COLLECTION_LENGTH} chars`,
    );
  }
  return name;
}

export function checkFieldPath(path: unknown, field: string): string {
  if (typeof path !== 'string' || path.length > 200) fail(field, 'must be a dotted field path');
  const segments = path.split('.');
  if (segments.length > MAX_FIELD_DEPTH || !segments.every((s) => FIELD_SEGMENT.test(s))) {
    fail(field, `"${path}" is not a dotted path of identifiers`);
  }
  return path;
}

export function checkIndexName(name: unknown, field: string): string {
  if (typeof name !== 'string' || !INDEX.test(name))
    fail(field, 'must be an identifier of at most 63 chars');
  return name;
}

export function checkProcessor(name: unknown, field = 'processor'): string {
  if (typeof name !== 'string' || !PROCESSOR.test(name)) {
    fail(field, 'must be 1-128 chars of letters, digits, ".", "_", ":" or "-"');
  }
  return name;
}

export function checkPosition(position: unknown, field = 'position'): Position {
  if (typeof position !== 'string' || !POSITION.test(position))
    fail(field, 'must be a lowercase hex position');
  return position;
}

export function checkId(id: unknown, field = 'id'): string {
  if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID_LENGTH) {
    fail(field, `must be a non-empty string of at most ${MAX_ID_LENGTH} chars`);
  }
  return id;
}

export function targetName(collection: string, version: number): string {
  return `${collection}__v${version}`;
}

/** The collection and version a target id names; ValidationError if it is not one. */
export function parseTarget(
  target: unknown,
  field = 'target',
): { collection: string; version: number } {
  const match = typeof target === 'string' ? TARGET.exec(target) : null;
  if (!match || match[1] === undefined || match[2] === undefined) {
    fail(field, 'must be a target id such as products__v2');
  }
  return { collection: match[1], version: Number(match[2]) };
}
