import type { Request } from 'express';
import { ValidationError } from '../../shared-kernel/errors';
import type { Position } from '../../shared-kernel/events/envelope';
import { MIN_POSITION_PARAM } from '../http/query-params';
import type { CheckpointWatcher } from './checkpoint-watcher';

export const MIN_POSITION_HEADER = 'X-Min-Position';
export const SERVED_AT_HEADER = 'X-Projection-Position';
const POSITION = /^[0-9a-f]{1,64}$/;

export interface ReadYourWrites {
  watcher: CheckpointWatcher;
  /** How long a request may wait for the read models to reach its position. */
  waitMs: number;
}

/**
 * The position a request asked for (`X-Min-Position` or `minPosition`), checked: lowercase
 * hex, and the same in both places when both are given. Null when it asked for none.
 */
export function requestedPosition(request: Request): Position | null {
  const header = request.get(MIN_POSITION_HEADER);
  const param = (request.query as Record<string, unknown>)[MIN_POSITION_PARAM];
  if (header !== undefined && !POSITION.test(header)) throw invalid(MIN_POSITION_HEADER);
  if (param !== undefined && (typeof param !== 'string' || !POSITION.test(param))) {
    throw invalid(MIN_POSITION_PARAM);
  }
  if (header !== undefined && param !== undefined && header !== param) {
    throw new ValidationError([
      { field: MIN_POSITION_PARAM, message: `differs from the ${MIN_POSITION_HEADER} header` },
    ]);
  }
  return header ?? (param as string | undefined) ?? null;
}

/**
 * Waits (through the shared watcher, no polling of its own) until `processor` has passed the
 * wanted position, then returns the position the answer is served at. That is the watcher's
 * last reading, which the read model is at or past by the time it is queried, so an answer is
 * never older than the position it is labelled (and cached) with.
 */
export async function reachPosition(
  deps: ReadYourWrites,
  processor: string,
  wanted: Position | null,
): Promise<Position | null> {
  if (wanted !== null) await deps.watcher.waitFor([processor], wanted, deps.waitMs);
  return deps.watcher.current(processor);
}

function invalid(field: string): ValidationError {
  return new ValidationError([
    { field, message: 'must be a position returned by the command API (lowercase hex)' },
  ]);
}
