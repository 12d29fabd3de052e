import { randomFillSync } from 'node:crypto';
import { v7 as uuidv7, validate as uuidValidate } from 'uuid';

/**
 * Random bytes drawn 4 KiB at a time. uuid draws each id's 16 bytes with its own
 * `crypto.getRandomValues` call, a system call that was about a twentieth of a cached GET's CPU
 * (every request gets a correlation id) and of a command's.
 */
const pool = new Uint8Array(4096);
let drawn = pool.length;
/** The last id's millisecond and counter, so ids made in one millisecond still sort by creation. */
const last = { msecs: -Infinity, seq: 0 };

/** A new time-ordered id (UUID v7): sortable by creation, so ids double as a rough timeline. */
export function newId(): string {
  if (drawn + 16 > pool.length) {
    randomFillSync(pool);
    drawn = 0;
  }
  const random = pool.subarray(drawn, (drawn += 16));
  // What uuid does for an id without options (RFC 9562 method 1: a counter seeded at random).
  const now = Date.now();
  if (now > last.msecs) {
    last.msecs = now;
    last.seq =
      (((random[6] as number) & 0x7f) << 24) |
      ((random[7] as number) << 16) |
      ((random[8] as number) << 8) |
      (random[9] as number);
  } else {
    last.seq = (last.seq + 1) | 0;
    if (last.seq === 0) last.msecs++;
  }
  return uuidv7({ random, msecs: last.msecs, seq: last.seq });
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
