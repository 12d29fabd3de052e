import type { Position as EsdbPosition } from '@eventstore/db-client';
import { StoreError, ValidationError } from '../../errors';
import type { Position } from '../../events/envelope';

/**
 * `$all` positions are a (commit, prepare) pair of non-negative int64 log offsets. Each half is
 * written as 16 lowercase hex digits so that comparing the 32-character strings compares the
 * pairs in log order, which is what the opaque `Position` of the port promises.
 */
const HALF_WIDTH = 16;
const ENCODED = /^[0-9a-f]{32}$/;

export function encodeEsdbPosition(position: EsdbPosition): Position {
  return encodeOffset(position.commit, 'commit') + encodeOffset(position.prepare, 'prepare');
}

export function decodeEsdbPosition(position: Position): EsdbPosition {
  const decoded =
    typeof position === 'string' && ENCODED.test(position)
      ? {
          commit: BigInt(`0x${position.slice(0, HALF_WIDTH)}`),
          prepare: BigInt(`0x${position.slice(HALF_WIDTH)}`),
        }
      : undefined;
  if (decoded === undefined || !isLogPosition(decoded)) {
    throw new ValidationError([
      { field: 'position', message: `${JSON.stringify(position)} is not an EventStoreDB position` },
    ]);
  }
  return decoded;
}

/**
 * Real log offsets are non-negative int64s. The server says "none" with -1, which arrives as -1
 * or as 2^64-1 depending on the field's width (older servers fill stream reads with it).
 */
export function isLogPosition(position: EsdbPosition): boolean {
  return isLogOffset(position.commit) && isLogOffset(position.prepare);
}

function isLogOffset(offset: bigint): boolean {
  return offset >= 0n && offset < 1n << 63n;
}

function encodeOffset(offset: bigint, name: string): string {
  // The server uses -1 for "no position" (e.g. an idempotent append); that must never leak out
  // as a position, since it would sort after every real one once written as unsigned hex.
  if (!isLogOffset(offset)) {
    throw new StoreError(`EventStoreDB returned ${name} position ${offset}, outside 0..2^63-1`);
  }
  return offset.toString(16).padStart(HALF_WIDTH, '0');
}
