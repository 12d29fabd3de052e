import type { JsonValue } from '../../shared-kernel/document-store/port';

/**
 * A decider state as JSON, so the audit trail can store it and fold the next event from the
 * stored copy. Today's states are plain data already, and are returned as they are (states are
 * never changed in place, so sharing them is safe): the audit trail converts one per event, and
 * copying a stock item's trie of open orders each time was a fifth of a busy worker's CPU, and
 * most of its garbage. `folded` is the JSON state `value` was folded from, if any: the parts
 * they share are JSON already, so only what the event changed is walked (walking the whole trie
 * again was a tenth). A state that holds a Date, Map, Set or bigint is converted: like
 * JSON.stringify, undefined properties are dropped and undefined array items become null;
 * non-finite numbers become null.
 */
export function toJson(value: unknown, folded?: JsonValue): JsonValue {
  return isJson(value, folded) ? (value as JsonValue) : converted(value);
}

/** Whether `value` is JSON data as it stands, given that `known` is; walks without copying. */
function isJson(value: unknown, known: unknown): boolean {
  if (value === known && value !== undefined) return true;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object': {
      if (value === null) return true;
      const same = (typeof known === 'object' && known !== null ? known : {}) as Record<
        string,
        unknown
      >;
      if (Array.isArray(value)) {
        // A hole or an undefined item reads as undefined: converted, it becomes null.
        for (let i = 0; i < value.length; i++) if (!isJson(value[i], same[i])) return false;
        return true;
      }
      const prototype = Object.getPrototypeOf(value) as unknown;
      if (prototype !== Object.prototype && prototype !== null) return false;
      for (const key in value) {
        const before = Object.hasOwn(same, key) ? same[key] : undefined;
        if (!isJson((value as Record<string, unknown>)[key], before)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

function converted(value: unknown): JsonValue {
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
  if (Array.isArray(value)) return Array.from(value, toJson);
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
