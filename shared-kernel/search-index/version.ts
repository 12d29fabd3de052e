import { ValidationError } from '../errors';
import type { DocumentVersion } from './port';

/**
 * Versions are event positions: lowercase hex. Both adapters compare them as numbers, which is
 * also what Elasticsearch's external versioning needs (a signed 64-bit `long`, so at most
 * 7fffffffffffffff). The SQLite event store writes 16 hex digits of a sequence that starts at 1;
 * its positions never come near the sign bit. A wider position (EventStoreDB's commit:prepare
 * pair, for example) must be mapped to such a number by its adapter before it gets here.
 */
const HEX = /^[0-9a-f]{1,32}$/;
const MAX_LONG = (1n << 63n) - 1n;

export function versionToBigInt(version: DocumentVersion, field = 'version'): bigint {
  if (typeof version !== 'string' || !HEX.test(version)) {
    throw new ValidationError([{ field, message: 'must be a lowercase hex event position' }]);
  }
  const value = BigInt(`0x${version}`);
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
