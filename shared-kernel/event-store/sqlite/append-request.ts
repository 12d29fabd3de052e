import { ValidationError, type FieldError } from '../../errors';
import type { NewEvent } from '../../events/envelope';
import { isUuid } from '../../ids';
import { isValidStreamId, type ExpectedRevision } from '../port';

/** An append checked and serialised up front, so nothing can fail half-way through writing it. */
export interface AppendRequest {
  streamId: string;
  expected: ExpectedRevision;
  events: SerialisedEvent[];
}

export interface SerialisedEvent {
  eventId: string;
  type: string;
  data: string;
  metadata: string;
}

/** Checks every argument of `append` and reports all problems at once as a ValidationError. */
export function toAppendRequest(
  streamId: unknown,
  events: unknown,
  expected: unknown,
): AppendRequest {
  const problems: FieldError[] = [];
  if (!isValidStreamId(streamId)) {
    problems.push({
      field: 'streamId',
      message: `${JSON.stringify(streamId)} is not a valid stream id (1-255 of [A-Za-z0-9._:@+=-], not starting with a symbol)`,
    });
  }
  if (!isExpectedRevision(expected)) {
    problems.push({
      field: 'expectedRevision',
      message: `${JSON.stringify(expected) ?? String(expected)} is not 'any', 'no_stream', 'stream_exists' or a revision (an integer >= 0)`,
    });
  }
  const serialised: SerialisedEvent[] = [];
  if (!Array.isArray(events) || events.length === 0) {
    problems.push({ field: 'events', message: 'an append needs at least one event' });
  } else {
    const seen = new Set<string>();
    events.forEach((event: unknown, index) => {
      const result = serialise(event, `events[${index}]`, problems);
      if (result === undefined) return;
      if (seen.has(result.eventId)) {
        problems.push({
          field: `events[${index}].eventId`,
          message: `${result.eventId} appears twice`,
        });
      }
      seen.add(result.eventId);
      serialised.push(result);
    });
  }
  if (problems.length > 0) throw new ValidationError(problems);
  return {
    streamId: streamId as string,
    expected: expected as ExpectedRevision,
    events: serialised,
  };
}

export function isExpectedRevision(value: unknown): value is ExpectedRevision {
  return (
    value === 'any' ||
    value === 'no_stream' ||
    value === 'stream_exists' ||
    (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0)
  );
}

function serialise(
  value: unknown,
  field: string,
  problems: FieldError[],
): SerialisedEvent | undefined {
  if (typeof value !== 'object' || value === null) {
    problems.push({ field, message: 'expected an event object' });
    return undefined;
  }
  const event = value as Partial<NewEvent>;
  const before = problems.length;
  if (!isUuid(event.eventId)) {
    problems.push({ field: `${field}.eventId`, message: `${String(event.eventId)} is not a UUID` });
  }
  if (typeof event.type !== 'string' || event.type.length === 0 || event.type.length > 255) {
    problems.push({
      field: `${field}.type`,
      message: 'expected a non-empty string of at most 255 chars',
    });
  }
  const data = toJson(event.data, `${field}.data`, problems);
  let metadata: string | undefined;
  if (typeof event.metadata !== 'object' || event.metadata === null) {
    problems.push({ field: `${field}.metadata`, message: 'expected an object' });
  } else {
    metadata = toJson(event.metadata, `${field}.metadata`, problems);
  }
  if (problems.length > before || data === undefined || metadata === undefined) return undefined;
  return { eventId: event.eventId as string, type: event.type as string, data, metadata };
}

function toJson(value: unknown, field: string, problems: FieldError[]): string | undefined {
  try {
    const json = JSON.stringify(value);
    if (json !== undefined) return json;
    problems.push({ field, message: 'is missing or cannot be represented as JSON' });
  } catch (error) {
    problems.push({ field, message: `cannot be serialised as JSON (${(error as Error).message})` });
  }
  return undefined;
}
