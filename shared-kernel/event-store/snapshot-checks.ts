import { ValidationError, type FieldError } from '../errors';
import { isValidStreamId, type Snapshot } from './port';

/**
 * Checks a snapshot before any adapter stores it and returns its state as JSON, so a bad one is
 * refused whole with each problem named, the same way on every store.
 */
export function checkedSnapshot(streamId: unknown, snapshot: Snapshot): string {
  const problems: FieldError[] = [];
  if (!isValidStreamId(streamId)) {
    problems.push({ field: 'streamId', message: `${JSON.stringify(streamId)} is not valid` });
  }
  if (!Number.isSafeInteger(snapshot?.revision) || snapshot.revision < 0) {
    problems.push({ field: 'revision', message: 'expected an integer >= 0' });
  }
  if (typeof snapshot?.position !== 'string' || snapshot.position === '') {
    problems.push({ field: 'position', message: 'expected a position' });
  }
  if (typeof snapshot?.version !== 'string' || !/^[\w.:-]{1,100}$/.test(snapshot.version)) {
    problems.push({ field: 'version', message: 'expected 1-100 of [A-Za-z0-9_.:-]' });
  }
  let state: string | undefined;
  try {
    state = JSON.stringify(snapshot?.state);
  } catch (error) {
    problems.push({ field: 'state', message: `cannot be JSON (${(error as Error).message})` });
  }
  if (state === undefined && problems.every((p) => p.field !== 'state')) {
    problems.push({ field: 'state', message: 'is missing' });
  }
  if (problems.length > 0) throw new ValidationError(problems);
  return state!;
}
