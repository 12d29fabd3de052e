import { v7 as uuidv7, validate as uuidValidate } from 'uuid';

/** A new time-ordered id (UUID v7): sortable by creation, so ids double as a rough timeline. */
export function newId(): string {
  return uuidv7();
}

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && uuidValidate(value);
}

/**
 * A SKU: the catalog's product code and the id of its stock item. The SKU decider enforces the
 * rule; the DTOs, the path parameters and both OpenAPI documents state it from here.
 */
export const SKU_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const SKU_DESCRIPTION = '1-64 characters of [A-Za-z0-9._-], starting with a letter or digit';

export function isSku(value: unknown): value is string {
  return typeof value === 'string' && SKU_PATTERN.test(value);
}

/**
 * Who someone is, as their identity provider names them: a token's `sub`, and so a customer id
 * (`auth0|5f7c...`, Google's digits, a UUID). Opaque to Strata: 1-200 printable characters
 * (letters, marks, digits, punctuation, symbols, spaces; not blank), never a control or format
 * character, which would only corrupt logs and read models downstream.
 */
const SUBJECT = /^(?!\s*$)[\p{L}\p{M}\p{N}\p{P}\p{S}\p{Zs}]{1,200}$/u;
export const SUBJECT_MAX_LENGTH = 200;
export const SUBJECT_DESCRIPTION =
  '1-200 printable characters, not blank, without control characters (an identity provider subject)';

export function isSubject(value: unknown): value is string {
  return typeof value === 'string' && SUBJECT.test(value);
}
