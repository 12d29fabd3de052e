import type { Decider } from '../../shared-kernel/decider';
import type { DomainEvent, Position } from '../../shared-kernel/events/envelope';
import type { EventUpcasting } from '../../shared-kernel/events/upcasting';
import type { EventStore } from '../../shared-kernel/event-store/port';

export interface LoadedAggregate<S> {
  state: S;
  /** Revision of the last event folded; -1 for a stream with no events. */
  revision: number;
  position: Position | null;
}

/**
 * Folds a stream into the decider's state, streaming the events (never a whole array) and
 * bringing old event versions up to date first, so deciders only know today's shapes.
 */
export async function loadAggregate<C, S, E extends DomainEvent>(
  store: EventStore,
  upcasting: EventUpcasting,
  decider: Decider<C, S, E>,
  streamId: string,
): Promise<LoadedAggregate<S>> {
  let state = decider.initialState;
  let revision = -1;
  let position: Position | null = null;
  for await (const recorded of store.readStream(streamId)) {
    const event = upcasting.upcast(recorded);
    state = decider.evolve(state, { type: event.type, data: event.data } as E);
    revision = recorded.revision;
    position = recorded.position;
  }
  return { state, revision, position };
}
