import { ValidationError } from '../../errors';
import type { FieldError } from '../../errors';
import { isValidStreamId } from '../port';
import type { ReadAllOptions, ReadStreamOptions } from '../port';
import { decodeEsdbPosition } from './position';

/**
 * Read options arrive from query parameters and CLI flags; a wrong one is refused with its name
 * rather than passed to the server, where it would fail with a less helpful message or not at all.
 */
export function checkReadStreamOptions(
  streamId: string,
  options: ReadStreamOptions,
): ReadStreamOptions {
  const problems: FieldError[] = [];
  if (!isValidStreamId(streamId)) {
    problems.push({
      field: 'streamId',
      message: `${JSON.stringify(streamId)} is not a valid stream id`,
    });
  }
  const { direction, fromRevision, maxCount, until } = options;
  if (direction !== undefined && direction !== 'forwards' && direction !== 'backwards') {
    problems.push({ field: 'direction', message: 'must be forwards or backwards' });
  }
  checkInteger(fromRevision, 'fromRevision', 0, problems);
  checkInteger(maxCount, 'maxCount', 1, problems);
  if (until !== undefined && !(until instanceof Date && !Number.isNaN(until.getTime()))) {
    problems.push({ field: 'until', message: 'must be a valid date' });
  }
  if (problems.length > 0) throw new ValidationError(problems);
  return options;
}

export function checkReadAllOptions(options: ReadAllOptions): ReadAllOptions {
  const problems: FieldError[] = [];
  checkInteger(options.maxCount, 'maxCount', 1, problems);
  if (problems.length > 0) throw new ValidationError(problems);
  // Decoding names a malformed position in its own ValidationError.
  if (options.after !== undefined && options.after !== null) decodeEsdbPosition(options.after);
  return options;
}

function checkInteger(value: unknown, field: string, min: number, problems: FieldError[]): void {
  if (value !== undefined && !(Number.isSafeInteger(value) && (value as number) >= min)) {
    problems.push({ field, message: `must be an integer >= ${min}, got ${JSON.stringify(value)}` });
  }
}
