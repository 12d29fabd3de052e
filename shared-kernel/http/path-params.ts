import type { Request, RequestHandler } from 'express';
import { ValidationError } from '../errors';
import {
  isSku,
  isSubject,
  isUuid,
  SKU_DESCRIPTION,
  SKU_PATTERN,
  SUBJECT_DESCRIPTION,
  SUBJECT_MAX_LENGTH,
} from '../ids';
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
  subject: {
    test: isSubject,
    message: `must be ${SUBJECT_DESCRIPTION}`,
    schema: { type: 'string', minLength: 1, maxLength: SUBJECT_MAX_LENGTH },
    example: 'auth0|5f7c8ec7c33c6c004bbafe82',
  },
} as const;

export type PathParamKind = keyof typeof KINDS;

/** A path parameter that must be a UUID, a SKU or a subject, named in the 400 when it is not. */
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

/**
 * Mounted before anything reads the path: one that does not decode (`%ZZ`, a cut-off or overlong
 * UTF-8 escape) is a 400 for every route and caller, and no access rule, router or handler
 * ever meets a URIError.
 */
export const wellFormedPath: RequestHandler = (request, _response, next) => {
  try {
    decodeURIComponent(request.path);
    next();
  } catch {
    next(
      new ValidationError([
        { field: 'path', message: 'holds a malformed percent-escape (%XX of UTF-8 bytes)' },
      ]),
    );
  }
};
