import { ValidationError } from '../../errors';
import type { Position } from '../../events/envelope';

/**
 * SQLite positions are the global sequence (the events table's rowid) written as 16 lowercase hex
 * digits, so that plain string comparison orders them like the numbers they stand for.
 */
const WIDTH = 16;
const POSITION = /^[0-9a-f]{16}$/;

export function encodePosition(sequence: number): Position {
  return sequence.toString(16).padStart(WIDTH, '0');
}

/** The sequence a position stands for; null (the start of `$all`) is 0. */
export function decodePosition(position: Position | null | undefined, field = 'after'): number {
  if (position === null || position === undefined) return 0;
  if (typeof position !== 'string' || !POSITION.test(position)) {
    throw new ValidationError([
      {
        field,
        message: `expected a position of ${WIDTH} lowercase hex digits, got ${String(position)}`,
      },
    ]);
  }
  const sequence = Number.parseInt(position, 16);
  if (!Number.isSafeInteger(sequence)) {
    throw new ValidationError([{ field, message: `position ${position} is out of range` }]);
  }
  return sequence;
}
