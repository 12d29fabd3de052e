import { ValidateBy, ValidateIf, type ValidationOptions } from 'class-validator';
import { isSubject, isUuid, SUBJECT_DESCRIPTION } from '../ids';

/** Control characters (except tab and newline in long text) and lone UTF-16 surrogates. */
const FORBIDDEN = /[\p{Cc}\p{Cs}]/u;
const LINE_BREAKS = /[\t\r\n]/g;

/**
 * Human-entered text: a string of 1..max characters (code points), not blank, without control
 * characters or broken surrogates, which would only corrupt logs and read models downstream.
 */
export function IsText(max: number, options: { multiline?: boolean } & ValidationOptions = {}) {
  const allowed = (value: string) => (options.multiline ? value.replace(LINE_BREAKS, '') : value);
  return ValidateBy(
    {
      name: 'isText',
      constraints: [max],
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' &&
          value.trim().length > 0 &&
          [...value].length <= max &&
          !FORBIDDEN.test(allowed(value)),
        defaultMessage: () =>
          `must be a non-blank string of at most ${max} characters without control characters`,
      },
    },
    options,
  );
}

export interface StringRecordLimits {
  maxEntries: number;
  maxKeyLength: number;
  maxValueLength: number;
}

/** A flat object of string -> string, bounded in entries, key length and value length. */
export function IsStringRecord(limits: StringRecordLimits, options?: ValidationOptions) {
  return ValidateBy(
    {
      name: 'isStringRecord',
      constraints: [limits],
      validator: {
        validate: (value: unknown) => isStringRecord(value, limits),
        defaultMessage: () =>
          `must be an object of at most ${limits.maxEntries} string values, keys of 1-${limits.maxKeyLength} ` +
          `and values of at most ${limits.maxValueLength} characters`,
      },
    },
    options,
  );
}

function isStringRecord(value: unknown, limits: StringRecordLimits): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const entries = Object.entries(value);
  if (entries.length > limits.maxEntries) return false;
  return entries.every(
    ([key, item]) =>
      key.length > 0 &&
      key.length <= limits.maxKeyLength &&
      !FORBIDDEN.test(key) &&
      typeof item === 'string' &&
      item.length <= limits.maxValueLength &&
      !FORBIDDEN.test(item),
  );
}

/** A whole number within [min, max] that JavaScript represents exactly. */
export function IsBoundedInteger(min: number, max: number, options?: ValidationOptions) {
  return ValidateBy(
    {
      name: 'isBoundedInteger',
      constraints: [min, max],
      validator: {
        validate: (value: unknown) =>
          typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max,
        defaultMessage: () => `must be an integer from ${min} to ${max}`,
      },
    },
    options,
  );
}

/**
 * Optional means "may be left out", not "may be null": `@IsOptional` lets null through to the
 * domain, this skips the other checks only when the field is absent.
 */
export function IsOmittable(options?: ValidationOptions) {
  return ValidateIf((_object, value) => value !== undefined, options);
}

/** A UUID of any version (clients may bring their own ids; ours are v7). */
export function IsId(options?: ValidationOptions) {
  return ValidateBy(
    {
      name: 'isId',
      validator: {
        validate: (value: unknown) => isUuid(value),
        defaultMessage: () => 'must be a UUID',
      },
    },
    options,
  );
}

/** A string matching `pattern`, described in words for the error message. */
export function IsPattern(pattern: RegExp, described: string, options?: ValidationOptions) {
  return ValidateBy(
    {
      name: 'isPattern',
      constraints: [pattern.source],
      validator: {
        validate: (value: unknown) => typeof value === 'string' && pattern.test(value),
        defaultMessage: () => `must be ${described}`,
      },
    },
    options,
  );
}

/** An identity provider's subject: a customer id (shared-kernel/ids.ts states the rule). */
export function IsSubject(options?: ValidationOptions) {
  return ValidateBy(
    {
      name: 'isSubject',
      validator: {
        validate: (value: unknown) => isSubject(value),
        defaultMessage: () => `must be ${SUBJECT_DESCRIPTION}`,
      },
    },
    options,
  );
}
