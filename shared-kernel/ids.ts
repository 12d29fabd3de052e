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
