import type { ClassConstructor } from 'class-transformer';
import { Equals } from 'class-validator';
import type { Request } from 'express';
import { ValidationError, type FieldError } from '../../shared-kernel/errors';
import { validateDto } from '../../shared-kernel/http/validate-dto';
import { DEFAULT_PAGE_SIZE } from './param-rules';

/** Read by the consistency middleware, not by the routes' DTOs. */
export const MIN_POSITION_PARAM = 'minPosition';

/**
 * The query string of a request as a validated DTO. Every parameter must be one plain value:
 * a repeated parameter (an array) or a bracketed one (`category[$ne]=x`, which a richer parser
 * would turn into an operator object) is refused here, naming the parameter, before any DTO
 * rule runs and long before a store sees it. Unknown parameters are refused by the DTO check.
 */
export async function queryParams<T extends object>(
  dto: ClassConstructor<T>,
  request: Request,
): Promise<T> {
  const query = request.query as Record<string, unknown>;
  const errors: FieldError[] = [];
  // Entries, not assignment: `__proto__=1` must arrive as a parameter, to be refused by name.
  const plain: Array<[string, string]> = [];
  for (const key of Object.keys(query)) {
    const value = query[key];
    const bracket = key.search(/[[\].]/);
    if (bracket >= 0) {
      const name = bracket === 0 ? key : key.slice(0, bracket);
      errors.push({ field: name, message: 'must be a single value, not an object or operator' });
    } else if (typeof value !== 'string') {
      errors.push({ field: key, message: 'must be given once, as a single value' });
    } else if (key !== MIN_POSITION_PARAM) {
      plain.push([key, value]);
    }
  }
  if (errors.length > 0) throw new ValidationError(errors);
  return validateDto(dto, Object.fromEntries(plain), 'query');
}

/** For routes that take no query parameters: any one given (but `minPosition`) is refused. */
export async function noQueryParams(request: Request): Promise<void> {
  // The common case costs no DTO check: nothing given, nothing to refuse.
  if (Object.keys(request.query as Record<string, unknown>).length > 0) {
    await queryParams(NoParameters, request);
  }
}

/** A class-validator check of an empty class is an error, so the one marker field is never sent. */
class NoParameters {
  @Equals(undefined, { message: 'is not a parameter of this route' }) readonly _?: never;
}

export function pageSize(raw: string | undefined): number {
  return raw === undefined ? DEFAULT_PAGE_SIZE : Number(raw);
}

export function minorUnits(raw: string | undefined): number | undefined {
  return raw === undefined ? undefined : Number(raw);
}

/** A cross-parameter rule, such as `minPrice` at most `maxPrice`. */
export function requireOrdered(
  lower: { name: string; value: number | string | undefined },
  upper: { name: string; value: number | string | undefined },
): void {
  if (lower.value !== undefined && upper.value !== undefined && lower.value > upper.value) {
    throw new ValidationError([{ field: lower.name, message: `must not exceed ${upper.name}` }]);
  }
}
