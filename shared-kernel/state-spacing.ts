/**
 * State bytes a stored copy of an aggregate's state (a write-side snapshot, an audit checkpoint)
 * may cost per event: a state whose JSON is longer than `minimum` x this is stored only every
 * (its length / this) events. Storing a state costs what it holds (a hot SKU's open reservations
 * grow with the order backlog), so a fixed spacing made each event of a busy stock item cost more
 * as its backlog grew; spaced by size, a copy costs at most about this per event, about what the
 * event itself does. A fold from one reads at most (its length / this) events after it: bounded
 * by the state's size, which reading the copy costs anyway, not by the history.
 */
export const STATE_BYTES_PER_EVENT = 256;

/**
 * The most events between two copies, whatever the state's size: what a load after a restart
 * folds, and what one audit state query reads (a page of the document store). Past it, a copy
 * costs (its length / this) per event.
 */
export const STATE_MAX_SPACING = 1_000;

/**
 * Events to wait after storing a state whose JSON is `length` long: `minimum` (the configured
 * spacing), or more for a big state, up to STATE_MAX_SPACING unless `minimum` is larger.
 */
export function spacingForState(length: number, minimum: number): number {
  const bySize = Math.min(STATE_MAX_SPACING, Math.ceil(length / STATE_BYTES_PER_EVENT));
  return Math.max(minimum, bySize);
}
