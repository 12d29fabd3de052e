import type { DocumentProjection } from '../../../projections/engine/projection';

/** A switch the scenario flips: while on, the wrapped projection fails on one stream. */
export interface Poison {
  streamId: string;
  active: boolean;
  /** Events the projection refused while the poison was active. */
  refusals: number;
}

/**
 * The read model as the worker runs it, except that it throws on every event of `poison.streamId`
 * while the poison is active: a bug that a bad event triggers, then fixed and redeployed.
 * The name is the real one, so the operations CLI acts on it as on the real processor.
 */
export function poisoned(projection: DocumentProjection, poison: Poison): DocumentProjection {
  return {
    ...projection,
    reads: (event) => projection.reads(event),
    apply(event, docs) {
      if (poison.active && event.streamId === poison.streamId) {
        poison.refusals += 1;
        throw new TypeError(`cannot read the payload of ${event.type} ${event.eventId}`);
      }
      return projection.apply(event, docs);
    },
  };
}
