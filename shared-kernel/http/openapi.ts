import { getMetadataStorage, ValidationTypes } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import type { MetadataStorage } from 'class-transformer/types/MetadataStorage';
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';
import type { Router } from 'express';
import { route } from './error-handling';
import type { StringRecordLimits } from './field-rules';

type Schema = Record<string, unknown>;

// `@Type` metadata (array item classes) lives here; the package gives it no typed entry point.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as {
  defaultMetadataStorage: MetadataStorage;
};

/** One documented operation: its request DTO (by class name) and its success status. */
export interface OperationDoc {
  method: 'get' | 'post' | 'patch';
  path: string;
  summary: string;
  requestBody?: string;
  success: { status: number; schema: Schema; headers?: string[] };
  parameters?: ParameterDoc[];
  /** A query DTO (by class name): each of its fields becomes a query parameter. */
  query?: string;
  /** Examples of the query DTO's fields, by name. */
  queryExamples?: Record<string, string>;
}

export interface ParameterDoc {
  name: string;
  in: 'path' | 'header' | 'query';
  schema: Schema;
  description?: string;
  required?: boolean;
  example?: unknown;
}

/** JSON Schemas of our own field rules (the library only knows the built-in ones). */
function customRule(meta: ValidationMetadata, extra: Record<string, Schema>): Schema | undefined {
  const [constraint] = getMetadataStorage().getTargetValidatorConstraints(meta.constraintCls);
  const [a, b] = (meta.constraints ?? []) as unknown[];
  if (constraint && extra[constraint.name]) return extra[constraint.name];
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

/** An OpenAPI 3.1 document from the DTOs' validation decorators and a table of operations. */
export function openApiDocument(
  info: { title: string; version: string },
  operations: OperationDoc[],
  /** Schemas of a side's own validation rules, by constraint name. */
  rules: Record<string, Schema> = {},
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
  for (const op of operations) {
    const openApiPath = op.path.replace(/:([A-Za-z]+)/g, '{$1}');
    const headers = Object.fromEntries(
      (op.success.headers ?? []).map((name) => [name, { schema: { type: 'string' } }]),
    );
    (paths[openApiPath] ??= {})[op.method] = {
      summary: op.summary,
      parameters: [...(op.parameters ?? []), ...queryParameters(schemas, op)],
      ...(op.requestBody && {
        requestBody: {
          required: true,
          content: {
            'application/json': { schema: { $ref: `#/components/schemas/${op.requestBody}` } },
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
    info,
    paths,
    components: { schemas: { ...schemas, Problem: PROBLEM_SCHEMA } },
  };
}

/** GET /openapi.json, built on the first request: every DTO decorator has run by then. */
export function serveOpenApi(
  router: Router,
  info: { title: string; version: string },
  operations: OperationDoc[],
  rules: Record<string, Schema> = {},
): void {
  let document: unknown;
  route(router, '/openapi.json', {
    get: [
      (_request, response) => {
        document ??= openApiDocument(info, operations, rules);
        response.json(document);
      },
    ],
  });
}

function queryParameters(schemas: Record<string, object>, op: OperationDoc): ParameterDoc[] {
  if (!op.query) return [];
  const dto = schemas[op.query] as
    { properties?: Record<string, Schema>; required?: string[] } | undefined;
  if (!dto) throw new Error(`no schema for query DTO ${op.query}`);
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
