import { expect } from 'chai';
import { foldEvents, type Decider } from './decider';
import type { DomainEvent } from './events/envelope';
import { ConflictError, ValidationError } from './errors';

type ErrorClass = abstract new (...args: never[]) => Error;

export interface Then<S, E> {
  /** Asserts the decider answers exactly `expected`; returns the state after them. */
  then(expected: E[]): S;
  /**
   * Asserts the command is refused with `errorClass`. `detail` is the rule slug for a
   * `ConflictError`, a field name for a `ValidationError`, and a message fragment otherwise;
   * `messageIncludes` is checked against the message whatever the class.
   */
  thenThrows(errorClass: ErrorClass, detail?: string, messageIncludes?: string): void;
}

/**
 * Given/when/then for deciders: `given(history).when(command).then(events)`. The history and
 * command are frozen, so a decider that mutates its input fails here, and each command is
 * decided twice to prove the answer does not depend on anything but the input.
 */
export function deciderSpec<C, S, E extends DomainEvent>(decider: Decider<C, S, E>) {
  return function given(history: E[] = []) {
    return {
      when(command: C): Then<S, E> {
        const state = deepFreeze(foldEvents(decider, deepFreeze(structuredClone(history))));
        const frozenCommand = deepFreeze(structuredClone(command));
        return {
          then(expected) {
            const events = decider.decide(frozenCommand, state);
            expect(events).to.deep.equal(expected);
            expect(decider.decide(frozenCommand, state)).to.deep.equal(events);
            return foldEvents(decider, deepFreeze(structuredClone(events)), state);
          },
          thenThrows(errorClass, detail, messageIncludes) {
            let thrown: unknown;
            try {
              decider.decide(frozenCommand, state);
            } catch (error) {
              thrown = error;
            }
            expect(thrown, 'decide should throw').to.be.instanceOf(errorClass);
            if (detail !== undefined) expectDetail(thrown as Error, detail);
            if (messageIncludes !== undefined) {
              expect((thrown as Error).message).to.include(messageIncludes);
            }
          },
        };
      },
    };
  };
}

function expectDetail(error: Error, detail: string): void {
  if (error instanceof ConflictError) {
    expect(error.rule).to.equal(detail);
  } else if (error instanceof ValidationError) {
    expect(error.errors.map((e) => e.field)).to.include(detail);
  } else {
    expect(error.message).to.include(detail);
  }
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
