import type { DomainEvent } from './events/envelope';
import { ValidationError } from './errors';

/**
 * An aggregate as a decider: pure functions over discriminated unions. `decide` throws a typed
 * error (`ConflictError(rule, ...)`, `NotFoundError`, `ValidationError`) for a command it refuses,
 * and returns an empty list when the command is already satisfied, so a retry is a no-op.
 */
export interface Decider<Command, State, Event extends DomainEvent> {
  readonly initialState: State;
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
}

/** The state after `events`, from the decider's initial state. */
export function foldEvents<C, S, E extends DomainEvent>(
  decider: Decider<C, S, E>,
  events: Iterable<E>,
  from: S = decider.initialState,
): S {
  let state = from;
  for (const event of events) state = decider.evolve(state, event);
  return state;
}

/** Closes a `switch` over a union: compiling proves every member is handled. */
export function assertNever(value: never, what: string): never {
  throw new TypeError(`unhandled ${what}: ${JSON.stringify(value)}`);
}

/** Quantities are whole units; deciders defend this even though the HTTP edge checks it too. */
export function requirePositiveInteger(field: string, value: number): void {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new ValidationError([{ field, message: `must be a positive integer, got ${value}` }]);
  }
}

export function requireNonEmpty(field: string, value: string): void {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ValidationError([{ field, message: 'must not be empty' }]);
  }
}

/** Times arrive with the command as ISO 8601 strings; parsing one reads no clock. */
export function requireIsoTime(field: string, value: string): void {
  if (
    typeof value !== 'string' ||
    !/^\d{4}-\d\d-\d\dT/.test(value) ||
    Number.isNaN(Date.parse(value))
  ) {
    throw new ValidationError([{ field, message: `must be an ISO 8601 time, got ${value}` }]);
  }
}
