import { ANY, NO_STREAM, STREAM_EXISTS } from '@eventstore/db-client';
import type { AppendExpectedRevision } from '@eventstore/db-client';
import { ValidationError } from '../../errors';
import type { ExpectedRevision } from '../port';

/** Maps the port's expected revision onto the client's; an exact revision becomes a bigint. */
export function toEsdbExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision {
  switch (expected) {
    case 'any':
      return ANY;
    case 'no_stream':
      return NO_STREAM;
    case 'stream_exists':
      return STREAM_EXISTS;
    default:
      if (typeof expected === 'number' && Number.isSafeInteger(expected) && expected >= 0) {
        return BigInt(expected);
      }
      throw new ValidationError([
        {
          field: 'expectedRevision',
          message: `${JSON.stringify(expected)} is not any, no_stream, stream_exists or a revision >= 0`,
        },
      ]);
  }
}

/** How a revision (expected or actual) reads in a `ConcurrencyError` message. */
export function describeRevision(revision: AppendExpectedRevision | undefined): string {
  if (revision === undefined) return 'unknown';
  return typeof revision === 'bigint' ? revision.toString() : revision;
}
