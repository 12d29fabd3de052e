import { isDeepStrictEqual } from 'node:util';
import type { JsonValue } from '../../shared-kernel/document-store/port';
import { isJsonObject } from './json-state';

export interface StateChange {
  /** Dotted path from the state's root; '' when the states differ as a whole. */
  path: string;
  before: JsonValue;
  after: JsonValue;
}

/** Keys that would read ambiguously in a dotted path are quoted: `attributes["size.eu"]`. */
const PLAIN_KEY = /^[A-Za-z0-9_$-]+$/;

/**
 * The fields that differ between two aggregate states, for the audit diff query. Objects are
 * compared key by key, recursively; arrays are compared as whole values (an order's lines or a
 * rejection's SKUs are read as one value, and index-by-index paths would report every later item
 * as changed after one insertion). A key missing on one side reads as null, so a key that is
 * absent on one side and null on the other is no change. Changes come in the before state's key
 * order, then keys only the after state has.
 */
export function diffStates(before: JsonValue, after: JsonValue): StateChange[] {
  const changes: StateChange[] = [];
  collect(before, after, '', changes);
  return changes;
}

function collect(before: JsonValue, after: JsonValue, path: string, changes: StateChange[]): void {
  if (isJsonObject(before) && isJsonObject(after)) {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    for (const key of keys) {
      collect(own(before, key), own(after, key), join(path, key), changes);
    }
  } else if (!isDeepStrictEqual(before, after)) {
    changes.push({ path, before, after });
  }
}

/** A key's own value: `toString` on a state without it is missing, not Object's method. */
function own(object: { [key: string]: JsonValue }, key: string): JsonValue {
  return Object.hasOwn(object, key) ? (object[key] ?? null) : null;
}

function join(path: string, key: string): string {
  if (!PLAIN_KEY.test(key)) return `${path}[${JSON.stringify(key)}]`;
  return path === '' ? key : `${path}.${key}`;
}
