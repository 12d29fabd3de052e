import fc from 'fast-check';
import { hostileValue } from './hostile-values';

/** The part of JSON Schema (as OpenAPI 3.1 documents carry it) the generators understand. */
export interface Schema {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  enum?: unknown[];
  additionalProperties?: Schema | boolean;
}

export type Schemas = Record<string, Schema>;

export function resolve(schema: Schema, schemas: Schemas): Schema {
  if (!schema.$ref) return schema;
  const name = schema.$ref.replace('#/components/schemas/', '');
  const target = schemas[name];
  if (!target) throw new Error(`the OpenAPI document refers to a missing schema ${schema.$ref}`);
  return resolve(target, schemas);
}

/**
 * Values the schema allows (as far as its keywords say; the server's rules may be stricter),
 * small enough to send thousands of. The fuzzer breaks them afterwards, one place at a time,
 * so each request is wrong in one way the server has to name.
 */
export function validValue(raw: Schema, schemas: Schemas): fc.Arbitrary<unknown> {
  const schema = resolve(raw, schemas);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string':
      if (schema.format === 'uuid') return fc.uuid();
      if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern));
      return fc.string({
        minLength: schema.minLength ?? 0,
        maxLength: Math.min(schema.maxLength ?? 30, 30),
      });
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1000, max: schema.maximum ?? 1000 });
    case 'number':
      return fc.double({ min: schema.minimum ?? -1000, max: schema.maximum ?? 1000, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(validValue(schema.items ?? {}, schemas), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.min(schema.maxItems ?? 3, 3),
      });
    case 'object':
      return objectValue(schema, schemas);
    default:
      return fc.jsonValue({ maxDepth: 1 });
  }
}

function objectValue(schema: Schema, schemas: Schemas): fc.Arbitrary<unknown> {
  const properties = schema.properties ?? {};
  if (Object.keys(properties).length === 0 && typeof schema.additionalProperties === 'object') {
    const value = validValue(schema.additionalProperties, schemas);
    return fc.dictionary(fc.string({ minLength: 1, maxLength: 10 }), value, { maxKeys: 3 });
  }
  const record: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, property] of Object.entries(properties)) {
    record[name] = validValue(property, schemas);
  }
  return fc.record(record, { requiredKeys: schema.required ?? [] });
}

/** What to do at one place of a valid value. */
type Breakage =
  | { kind: 'replace'; value: unknown }
  | { kind: 'delete' }
  | { kind: 'extra'; key: string; value: unknown };

const breakage: fc.Arbitrary<Breakage> = fc.oneof(
  { weight: 6, arbitrary: hostileValue.map((value) => ({ kind: 'replace' as const, value })) },
  { weight: 2, arbitrary: fc.constant({ kind: 'delete' as const }) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.constantFrom('$where', 'isAdmin', '__proto__', 'extra', 'streamRevision'),
        hostileValue,
      )
      .map(([key, value]) => ({ kind: 'extra' as const, key, value })),
  },
);

/** Every place inside a JSON value (the root is []), depth first. */
function places(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  const found = [at];
  if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      found.push(...places(child, [...at, Array.isArray(value) ? Number(key) : key]));
    }
  }
  return found;
}

function broken(value: unknown, at: (string | number)[], how: Breakage): unknown {
  if (at.length === 0) {
    if (how.kind === 'replace') return how.value;
    if (how.kind === 'delete') return undefined;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      // defineProperty, so that "__proto__" becomes a real key that JSON.stringify sends.
      const copy = { ...(value as object) };
      Object.defineProperty(copy, how.key, { value: how.value, enumerable: true });
      return copy;
    }
    return how.value;
  }
  const [head, ...rest] = at as [string | number, ...(string | number)[]];
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<
    string | number,
    unknown
  >;
  const child = broken(copy[head], rest, how);
  if (child === undefined && !Array.isArray(copy)) delete copy[head];
  else copy[head] = child;
  return copy;
}

/** A valid value of the schema, broken at one place chosen at random. */
export function brokenValue(schema: Schema, schemas: Schemas): fc.Arbitrary<unknown> {
  return fc.tuple(validValue(schema, schemas), fc.nat(), breakage).map(([value, pick, how]) => {
    const all = places(value);
    return broken(value, all[pick % all.length] as (string | number)[], how);
  });
}
