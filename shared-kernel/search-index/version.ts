import { ValidationError } from '../errors';
import type { DocumentVersion } from './port';

/**
 * Versions are event positions: lowercase hex. Both adapters compare them as numbers, which is
 * also what Elasticsearch's external versioning needs: a signed 64-bit `long`, at most
 * 7fffffffffffffff. The mapping from a position to that number:
 * - up to 16 hex digits (the SQLite event store's positions: a sequence from 1): the number
 *   itself, which never comes near the sign bit;
 * - exactly 32 hex digits (EventStoreDB's `commit` then `prepare` offsets, see
 *   event-store/esdb/position.ts): the `prepare` half. It is the event's own byte offset in the
 *   log, unique per event (events of one append share their commit offset, not their prepare
 *   offset) and increasing along `$all`, since appends are written whole, never interleaved.
 * Anything else, or a number above the sign bit, is a ValidationError.
 */
const SHORT = /^[0-9a-f]{1,16}$/;
const COMMIT_PREPARE = /^[0-9a-f]{32}$/;
const MAX_LONG = (1n << 63n) - 1n;

export function versionToBigInt(version: DocumentVersion, field = 'version'): bigint {
  let digits: string;
  if (typeof version === 'string' && SHORT.test(version)) digits = version;
  else if (typeof version === 'string' && COMMIT_PREPARE.test(version)) digits = version.slice(16);
  else {
    throw new ValidationError([
      { field, message: 'must be a lowercase hex event position of 1-16 or 32 digits' },
    ]);
  }
  const value = BigInt(`0x${digits}`);
  if (value > MAX_LONG) {
    throw new ValidationError([
      { field, message: `${version} is above 7fffffffffffffff (a signed 64-bit version)` },
    ]);
  }
  return value;
}

/** 16 hex digits, zero-padded: the stored form, so plain string comparison orders versions. */
export function normalizeVersion(version: DocumentVersion, field = 'version'): string {
  return versionToBigInt(version, field).toString(16).padStart(16, '0');
}

/** The decimal text of the version, as Elasticsearch's `version` takes it (exact past 2^53). */
export function versionToDecimal(version: DocumentVersion, field = 'version'): string {
  return versionToBigInt(version, field).toString(10);
}
