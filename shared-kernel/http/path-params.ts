import type { Request } from 'express';
import { ValidationError } from '../errors';
import { isSku, isUuid, SKU_DESCRIPTION, SKU_PATTERN } from '../ids';
import type { ParameterDoc } from './routes';

/** What a path segment may be: each kind's check, its 400 message and its documentation. */
const KINDS = {
  uuid: {
    test: isUuid,
    message: 'must be a UUID',
    schema: { type: 'string', format: 'uuid' },
    example: '0190c7c5-0000-7000-8000-000000000001',
  },
  sku: {
    test: isSku,
    message: `must be ${SKU_DESCRIPTION}`,
    schema: { type: 'string', pattern: SKU_PATTERN.source },
    example: 'LAMP-001',
  },
} as const;

export type PathParamKind = keyof typeof KINDS;

/** A path parameter that must be a UUID or a SKU, named in the 400 when it is not. */
export function pathParam(request: Request, name: string, kind: PathParamKind): string {
  const value = request.params[name];
  if (!KINDS[kind].test(value) || typeof value !== 'string') {
    throw new ValidationError([{ field: name, message: KINDS[kind].message }]);
  }
  return value;
}

/** The same parameter as the OpenAPI document gives it. */
export function pathParamDoc(name: string, kind: PathParamKind): ParameterDoc {
  const { schema, example } = KINDS[kind];
  return { name, in: 'path', required: true, schema, example };
}
