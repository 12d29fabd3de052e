import { getMetadataStorage, ValidationTypes } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import type { MetadataStorage } from 'class-transformer/types/MetadataStorage';
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';
import type { StringRecordLimits } from './field-rules';
import type { ParameterDoc, RouteSpec, Schema } from './routes';

// `@Type` metadata (array item classes) lives here; the package gives it no typed entry point.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as {
  defaultMetadataStorage: MetadataStorage;
};

/** What the document needs of a route: all of its spec but who may call it and the handler. */
export type DocumentedRoute = Omit<RouteSpec, 'access' | 'handler'>;

/** A validation rule's JSON Schema, fixed or made from the rule's arguments (`IsText(200)`). */
export type RuleSchema = Schema | ((constraints: unknown[]) => Schema);

/** Info of an API's document, and the JSON Schemas of that side's own validation rules. */
export interface OpenApiInfo {
  title: string;
  version: string;
  /** Schemas of a side's own validation rules, by constraint name. */
  rules?: Record<string, RuleSchema>;
}

/** JSON Schemas of our own field rules (the library only knows the built-in ones). */
function customRule(
  meta: ValidationMetadata,
  extra: Record<string, RuleSchema>,
): Schema | undefined {
  const [constraint] = getMetadataStorage().getTargetValidatorConstraints(meta.constraintCls);
  const constraints = (meta.constraints ?? []) as unknown[];
  const [a, b] = constraints;
  const own = constraint && extra[constraint.name];
  if (own) return typeof own === 'function' ? own(constraints) : own;
  switch (constraint?.name) {
    case 'isText':
      return { type: 'string', minLength: 1, maxLength: a };
    case 'isBoundedInteger':
      return { type: 'integer', minimum: a, maximum: b };
    case 'isPattern':
      return { type: 'string', pattern: a };
    case 'isId':
      return { type: 'string', format: 'uuid' };
    case 'isStringRecord': {
      const limits = a as StringRecordLimits;
      return {
        type: 'object',
        maxProperties: limits.maxEntries,
        propertyNames: { minLength: 1, maxLength: limits.maxKeyLength },
        additionalProperties: { type: 'string', maxLength: limits.maxValueLength },
      };
    }
    default:
      return undefined;
  }
}

/** An OpenAPI 3.1 document from the routes and their DTOs' validation decorators. */
export function openApiDocument(
  { title, version, rules = {} }: OpenApiInfo,
  routes: readonly DocumentedRoute[],
) {
  const schemas = validationMetadatasToSchemas({
    refPointerPrefix: '#/components/schemas/',
    classTransformerMetadataStorage: defaultMetadataStorage,
    additionalConverters: {
      [ValidationTypes.CUSTOM_VALIDATION]: (meta) => customRule(meta, rules),
    },
  });
  const problem = { $ref: '#/components/schemas/Problem' };
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of routes) {
    const openApiPath = op.path.replace(/:([A-Za-z]+)/g, '{$1}');
    const headers = Object.fromEntries(
      (op.success.headers ?? []).map((name) => [name, { schema: { type: 'string' } }]),
    );
    (paths[openApiPath] ??= {})[op.method] = {
      summary: op.summary,
      parameters: [...(op.parameters ?? []), ...queryParameters(schemas, op)],
      ...(op.body && {
        requestBody: {
          required: true,
          content: {
            'application/json': { schema: { $ref: `#/components/schemas/${op.body.name}` } },
          },
        },
      }),
      responses: {
        [op.success.status]: {
          description: 'success',
          headers,
          content: { 'application/json': { schema: op.success.schema } },
        },
        default: {
          description: 'a problem (RFC 9457)',
          content: { 'application/problem+json': { schema: problem } },
        },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title, version },
    paths,
    components: { schemas: { ...schemas, Problem: PROBLEM_SCHEMA } },
  };
}

/**
 * GET /openapi.json describing `routes`, this one included (the list may still grow after this
 * call); built on the first request, when every DTO decorator has run.
 */
export function openApiRoute(info: OpenApiInfo, routes: readonly DocumentedRoute[]): RouteSpec {
  let document: unknown;
  return {
    method: 'get',
    path: '/openapi.json',
    summary: 'This API as an OpenAPI 3.1 document',
    access: { kind: 'public' },
    success: { status: 200, schema: { type: 'object' } },
    handler: (_request, response) => {
      document ??= openApiDocument(info, routes);
      response.json(document);
    },
  };
}

function queryParameters(schemas: Record<string, object>, op: DocumentedRoute): ParameterDoc[] {
  if (!op.query) return [];
  const dto = schemas[op.query.name] as
    { properties?: Record<string, Schema>; required?: string[] } | undefined;
  if (!dto) throw new Error(`no schema for query DTO ${op.query.name}`);
  return Object.entries(dto.properties ?? {}).map(([name, schema]) => ({
    name,
    in: 'query',
    required: dto.required?.includes(name) ?? false,
    schema,
    ...(op.queryExamples?.[name] !== undefined && { example: op.queryExamples[name] }),
  }));
}

const PROBLEM_SCHEMA: Schema = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        properties: { field: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
};
