import { v7 as uuidv7, validate as uuidValidate } from 'uuid';

/** A new time-ordered id (UUID v7): sortable by creation, so ids double as a rough timeline. */
export function newId(): string {
  return uuidv7();
}

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && uuidValidate(value);
}
