import type { Decider } from '../../shared-kernel/decider';
import { aggregates, type AggregateType } from '../../write-side/aggregates';
import type { JsonValue } from '../../shared-kernel/document-store/port';
import type { DomainEvent, RecordedEvent } from '../../shared-kernel/events/envelope';
import type { AuditEntry } from './audit';
import { toJson } from './json-state';

/** Every event type of every aggregate: what the audit trail records. */
export function aggregateEventTypes(): string[] {
  return Object.values(aggregates).flatMap((definition) => Object.keys(definition.schemaVersions));
}

export function initialStateOf(type: AggregateType): JsonValue {
  return toJson(aggregates[type].decider.initialState);
}

/**
 * A stored state, if the current code can fold it: one stored in another `stateVersion` (a
 * trail written before a state's shape changed, or before versions were recorded) is unknown
 * until the audit projection is rebuilt, since folding it with today's `evolve` would lie.
 */
export function storedState(
  type: AggregateType,
  stored: { state?: JsonValue; stateVersion?: number },
): JsonValue {
  if (stored.state === undefined || stored.stateVersion !== aggregates[type].stateVersion) {
    return null;
  }
  return stored.state;
}

/**
 * The aggregate's state after `event`, folded by the write side's own `evolve` from the state
 * stored with the previous entry, so the trail shows exactly what the decider saw. An event type
 * its aggregate does not know (a foreign event in its stream) leaves the state as it was.
 */
export function stateAfter(
  type: AggregateType,
  before: JsonValue,
  event: Pick<RecordedEvent, 'type' | 'data'>,
): JsonValue {
  const definition = aggregates[type];
  if (!Object.hasOwn(definition.schemaVersions, event.type)) return before;
  // The stored state is the JSON form of the decider's state, which for plain-data states is
  // that state itself; the event's type was just checked to be one of this aggregate's.
  const decider = definition.decider as unknown as Decider<never, JsonValue, DomainEvent>;
  return toJson(decider.evolve(before, { type: event.type, data: event.data }), before);
}

/**
 * The state after each entry document this process folded or wrote. An entry's state is a pure
 * function of its stream up to it, so any document of that entry has the same one: remembering
 * it by the document object is safe, and it lives as long as the runner keeps the document
 * (its document cache, runner-context.ts). It spares storing the latest state on every entry.
 * Unknown (null) states are not remembered: they stay marked on the entry itself.
 */
const stateAfterEntry = new WeakMap<object, JsonValue>();

export function rememberStateAfter(entry: object, state: JsonValue): void {
  if (state !== null) stateAfterEntry.set(entry, state);
}

/** The state after `entry` without reading others: remembered, or stored on it; else undefined. */
export function stateAtHand(type: AggregateType, entry: AuditEntry): JsonValue | undefined {
  const remembered = stateAfterEntry.get(entry);
  if (remembered !== undefined) return remembered;
  return entry.state === undefined ? undefined : storedState(type, entry);
}

/**
 * The state after the last of `trail` (consecutive entries of one stream, oldest first, from a
 * checkpoint), folded from the latest of them whose state is at hand; each entry folded on the
 * way is remembered. Null when that state is unknown (a trail started after its stream, or
 * stored in an older `stateVersion`) or none has one.
 */
export function foldTrail(type: AggregateType, trail: readonly AuditEntry[]): JsonValue {
  let from = trail.length - 1;
  let state: JsonValue | undefined;
  for (; from >= 0; from--) {
    state = stateAtHand(type, trail[from] as AuditEntry);
    if (state !== undefined) break;
  }
  if (state === undefined || state === null) return null;
  for (let i = from + 1; i < trail.length; i++) {
    const entry = trail[i] as AuditEntry;
    state = stateAfter(type, state, { type: entry.eventType, data: entry.data });
    rememberStateAfter(entry, state);
  }
  return state;
}
