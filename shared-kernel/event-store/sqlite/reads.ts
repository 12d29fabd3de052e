import { ValidationError } from '../../errors';
import type { RecordedEvent } from '../../events/envelope';
import type { ReadAllOptions, ReadStreamOptions } from '../port';
import { isValidStreamId } from '../port';
import { decodePosition } from './positions';
import { toRecordedEvent, type EventRow, type Statements } from './statements';

export interface PageReader {
  statements: Statements;
  pageSize: number;
  /** Throws when the store was closed, so a read outliving it fails with a StoreError. */
  ensureOpen(): void;
}

/** Sorts after every ISO 8601 time, for reads without `until`. */
const END_OF_TIME = '\uffff';

/**
 * An async iterable that fetches one page of rows per refill and maps rows only as they are
 * pulled: memory stays at one page whatever the size of the log, and a slow consumer slows the
 * reads instead of piling rows up. A plain iterator object, because an async generator costs a
 * few extra promise hops per event on a path that moves hundreds of thousands of them.
 */
export function pagedEvents(
  reader: PageReader,
  fetchPage: (limit: number) => EventRow[],
  onRow: (row: EventRow) => void,
  maxCount: number,
): AsyncIterable<RecordedEvent> {
  const { pageSize } = reader;
  return {
    [Symbol.asyncIterator]() {
      let page: EventRow[] = [];
      let index = 0;
      let remaining = maxCount;
      let exhausted = false;
      const done = { done: true as const, value: undefined };
      return {
        next(): Promise<IteratorResult<RecordedEvent>> {
          if (index >= page.length) {
            if (exhausted || remaining <= 0) return Promise.resolve(done);
            const limit = Math.min(pageSize, remaining);
            try {
              reader.ensureOpen();
              page = fetchPage(limit);
            } catch (error) {
              return Promise.reject(error);
            }
            index = 0;
            exhausted = page.length < limit;
            if (page.length === 0) return Promise.resolve(done);
          }
          const row = page[index++]!;
          remaining -= 1;
          onRow(row);
          return Promise.resolve({ done: false, value: toRecordedEvent(row) });
        },
        return(): Promise<IteratorResult<RecordedEvent>> {
          exhausted = true;
          page = [];
          return Promise.resolve(done);
        },
      };
    },
  };
}

export function readAllPages(reader: PageReader, options: ReadAllOptions) {
  let after = decodePosition(options.after ?? null);
  const { allPage, allPageOfTypes } = reader.statements;
  const types = options.types ? JSON.stringify([...options.types]) : null;
  return pagedEvents(
    reader,
    types === null
      ? (limit) => allPage.all(after, limit)
      : (limit) => allPageOfTypes.all(after, types, limit),
    (row) => (after = row[0]),
    checkMaxCount(options.maxCount),
  );
}

export function readStreamPages(reader: PageReader, streamId: string, options: ReadStreamOptions) {
  const { statements } = reader;
  const { direction = 'forwards', fromRevision, until } = options;
  const problems = [];
  if (!isValidStreamId(streamId)) {
    problems.push({
      field: 'streamId',
      message: `${JSON.stringify(streamId)} is not a valid stream id`,
    });
  }
  if (direction !== 'forwards' && direction !== 'backwards') {
    problems.push({
      field: 'direction',
      message: `expected 'forwards' or 'backwards', got ${String(direction)}`,
    });
  }
  if (fromRevision !== undefined && !(Number.isSafeInteger(fromRevision) && fromRevision >= 0)) {
    problems.push({
      field: 'fromRevision',
      message: `expected an integer >= 0, got ${String(fromRevision)}`,
    });
  }
  if (until !== undefined && !(until instanceof Date && !Number.isNaN(until.getTime()))) {
    problems.push({ field: 'until', message: `expected a valid Date, got ${String(until)}` });
  }
  if (problems.length > 0) throw new ValidationError(problems);
  const untilIso = until ? until.toISOString() : END_OF_TIME;
  const maxCount = checkMaxCount(options.maxCount);
  if (direction === 'forwards') {
    let next = fromRevision ?? 0;
    return pagedEvents(
      reader,
      (limit) => statements.streamForwards.all(streamId, next, untilIso, limit),
      (row) => (next = row[2] + 1),
      maxCount,
    );
  }
  let next = fromRevision ?? Number.MAX_SAFE_INTEGER;
  return pagedEvents(
    reader,
    (limit) => (next < 0 ? [] : statements.streamBackwards.all(streamId, next, untilIso, limit)),
    (row) => (next = row[2] - 1),
    maxCount,
  );
}

function checkMaxCount(maxCount: number | undefined): number {
  if (maxCount === undefined) return Number.POSITIVE_INFINITY;
  if (Number.isSafeInteger(maxCount) && maxCount > 0) return maxCount;
  throw new ValidationError([
    { field: 'maxCount', message: `expected an integer >= 1, got ${String(maxCount)}` },
  ]);
}
