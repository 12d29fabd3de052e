import fc from 'fast-check';
import { hostileHeader, hostilePosition, hostileString, malformedJson } from './hostile-values';
import { brokenValue, validValue, type Schema, type Schemas } from './schema-arbitraries';

/** One documented operation, as the generators need it. */
export interface Operation {
  method: string;
  /** OpenAPI template, e.g. `/products/{id}`. */
  path: string;
  parameters: { name: string; in: string; schema: Schema }[];
  requestBody?: Schema;
}

/** A request as it goes on the wire. */
export interface FuzzRequest {
  operation: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

interface OpenApiDocument {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: Operation['parameters'];
        requestBody?: { content?: Record<string, { schema?: Schema }> };
      }
    >
  >;
  components?: { schemas?: Schemas };
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** Every operation of an OpenAPI document, with its parameters and request body schema. */
export function operationsOf(document: OpenApiDocument): {
  operations: Operation[];
  schemas: Schemas;
} {
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (!METHODS.includes(method)) continue;
      const body = operation.requestBody?.content?.['application/json']?.schema;
      operations.push({
        method: method.toUpperCase(),
        path,
        parameters: operation.parameters ?? [],
        ...(body ? { requestBody: body } : {}),
      });
    }
  }
  return { operations, schemas: document.components?.schemas ?? {} };
}

/** Bytes outside the unreserved set percent-encoded; a lone surrogate goes as U+FFFD. */
export function percentEncode(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const char = String.fromCharCode(byte);
    out += /[A-Za-z0-9._~-]/.test(char)
      ? char
      : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Query strings a store-backed API must refuse by name: operators, repeats, unknown keys. */
function hostileQueryPairs(names: string[]): fc.Arbitrary<string[]> {
  const name = fc.constantFrom(...(names.length > 0 ? names : ['q']), 'x', '__proto__');
  const pair = fc.oneof(
    name.map((n) => `${n}[$ne]=1`),
    name.map((n) => `${n}[$gt]=`),
    fc.tuple(name, hostileString).map(([n, v]) => `${n}=${percentEncode(v)}`),
    name.map((n) => `${n}=a&${n}=b`),
    fc.constantFrom(
      'unknown=1',
      '__proto__[polluted]=1',
      'limit=1e3',
      'limit=-1',
      'limit=99999999999999999999',
    ),
  );
  return fc.array(pair, { minLength: 1, maxLength: 3 });
}

/** Some of the documented query parameters, each with a value its schema allows. */
function validQueryPairs(operation: Operation, schemas: Schemas): fc.Arbitrary<string[]> {
  const params = operation.parameters.filter((p) => p.in === 'query' && p.name !== 'minPosition');
  if (params.length === 0) return fc.constant([]);
  const pair = fc
    .constantFrom(...params)
    .chain((p) =>
      validValue(p.schema, schemas).map((v) => `${p.name}=${percentEncode(String(v))}`),
    );
  return fc.uniqueArray(pair, { maxLength: 2, selector: (text) => text.split('=')[0] });
}

function pathArbitrary(
  operation: Operation,
  schemas: Schemas,
  known: string[],
): fc.Arbitrary<string> {
  const params = operation.parameters.filter((p) => p.in === 'path');
  const value = (schema: Schema) =>
    fc.oneof(
      { weight: 3, arbitrary: validValue(schema, schemas).map(String) },
      { weight: 1, arbitrary: fc.constantFrom(...known) },
      { weight: 3, arbitrary: hostileString },
    );
  return fc.tuple(...params.map((p) => value(p.schema))).map((values) => {
    let path = operation.path;
    params.forEach(
      (p, i) => (path = path.replace(`{${p.name}}`, percentEncode(values[i] as string))),
    );
    return path;
  });
}

function bodyArbitrary(operation: Operation, schemas: Schemas): fc.Arbitrary<string | undefined> {
  const schema = operation.requestBody;
  if (!schema) return fc.option(malformedJson, { nil: undefined });
  return fc.oneof(
    { weight: 7, arbitrary: brokenValue(schema, schemas).map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: validValue(schema, schemas).map((v) => JSON.stringify(v)) },
    { weight: 2, arbitrary: malformedJson },
  );
}

/**
 * Requests derived from the documented operations: each one wrong in at least one place a
 * client controls (path, query, header, body, content type or method), mostly in one place only.
 */
export function requestArbitrary(
  baseUrl: string,
  operations: Operation[],
  schemas: Schemas,
  known: string[],
): fc.Arbitrary<FuzzRequest> {
  return fc.constantFrom(...operations).chain((operation) => {
    const queryNames = operation.parameters.filter((p) => p.in === 'query').map((p) => p.name);
    const isRead = operation.method === 'GET';
    return fc
      .record({
        path: pathArbitrary(operation, schemas, known),
        query: isRead
          ? fc
              .tuple(validQueryPairs(operation, schemas), hostileQueryPairs(queryNames))
              .map(([valid, hostile]) => [...valid, ...hostile])
          : fc.option(hostileQueryPairs([]), { nil: null }),
        body: isRead ? fc.constant(undefined) : bodyArbitrary(operation, schemas),
        contentType: fc.constantFrom(
          'application/json',
          'application/json',
          'application/json',
          'text/plain',
          'application/x-www-form-urlencoded',
        ),
        ifMatch: fc.option(hostileHeader, { nil: undefined }),
        minPosition: fc.option(hostilePosition, { nil: undefined }),
        method: fc.oneof(
          { weight: 9, arbitrary: fc.constant(operation.method) },
          { weight: 1, arbitrary: fc.constantFrom('GET', 'POST', 'PATCH', 'DELETE', 'PUT') },
        ),
      })
      .map((r): FuzzRequest => {
        const headers: Record<string, string> = {};
        if (r.body !== undefined) headers['content-type'] = r.contentType;
        if (r.ifMatch !== undefined && !isRead) headers['if-match'] = r.ifMatch;
        if (r.minPosition !== undefined && isRead) headers['x-min-position'] = r.minPosition;
        const query = r.query && r.query.length > 0 ? `?${r.query.join('&')}` : '';
        const sendsBody = r.method !== 'GET' && r.body !== undefined;
        return {
          operation: `${operation.method} ${operation.path}`,
          method: r.method,
          url: `${baseUrl}${r.path}${query}`,
          headers,
          ...(sendsBody ? { body: r.body } : {}),
        };
      });
  });
}
