import type { JsonValue } from '../../shared-kernel/document-store/port';

/**
 * A decider state as JSON, so the audit trail can store it and fold the next event from the
 * stored copy. Today's states are plain data already; this keeps the trail honest if one ever
 * holds a Date, Map, Set or bigint. Like JSON.stringify, undefined properties are dropped and
 * undefined array items become null; non-finite numbers become null.
 */
export function toJson(value: unknown): JsonValue {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'bigint':
      return value.toString();
    case 'object':
      return objectToJson(value);
    default:
      // Functions and symbols have no JSON form.
      return null;
  }
}

function objectToJson(value: object): JsonValue {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (Array.isArray(value)) return value.map(toJson);
  if (value instanceof Set) return [...value].map(toJson);
  const entries = value instanceof Map ? [...value.entries()] : Object.entries(value);
  const json: Array<[string, JsonValue]> = [];
  for (const [key, item] of entries) {
    if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
    json.push([String(key), toJson(item)]);
  }
  // Entries, not assignment: a key named `__proto__` (a product attribute) stays a key.
  return Object.fromEntries(json);
}

export function isJsonObject(value: unknown): value is { [key: string]: JsonValue } {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
