import { PreconditionFailedError } from '../../shared-kernel/errors';
import type { Position } from '../../shared-kernel/events/envelope';
import type { AggregateType, aggregates } from '../aggregates';

type DefinitionOf<A extends AggregateType> = (typeof aggregates)[A];
export type CommandOf<A extends AggregateType> = Parameters<
  DefinitionOf<A>['decider']['decide']
>[0];
export type StateOf<A extends AggregateType> = DefinitionOf<A>['decider']['initialState'];

/** Who asked and when; lands in the metadata of every event the command causes. */
export interface CommandContext {
  correlationId: string;
  actor: string;
  /** ISO time the change happens in the domain (the clock is read at the edge, not here). */
  occurredAt: string;
  /** What caused the command; defaults to the command id (a direct request). */
  causationId?: string;
}

/**
 * An `If-Match` precondition (RFC 9110 13.1.1) on an aggregate's stream: `*` holds for any
 * existing stream, a list for a stream at one of its revisions; neither holds for a stream that
 * does not exist, whose resource has no current representation to match.
 */
export type IfMatch = { any: true } | { revisions: readonly number[] };

export function ifMatchHolds(condition: IfMatch, revision: number): boolean {
  if (revision < 0) return false;
  return 'any' in condition || condition.revisions.includes(revision);
}

/** Throws the 412 when `condition` (if any) does not hold for the stream at `revision`. */
export function requireIfMatch(
  streamId: string,
  condition: IfMatch | undefined,
  revision: number,
): void {
  if (condition === undefined || ifMatchHolds(condition, revision)) return;
  const tags =
    'any' in condition
      ? '*'
      : condition.revisions.map((r) => `"${r}"`).join(', ') || 'no strong tag';
  throw new PreconditionFailedError(
    `${streamId} is at revision ${revision}; If-Match ${tags} does not hold`,
  );
}

export interface CommandRequest<A extends AggregateType = AggregateType> {
  aggregate: A;
  command: CommandOf<A>;
  /** UUID; the ids of the events it causes derive from it, so a retried append is recognised. */
  commandId: string;
  /**
   * `If-Match`: a condition on the stream's revision. When it does not hold, or the stream
   * moves before the append, the answer is `PreconditionFailedError`, never retried; without
   * it a concurrency conflict is retried.
   */
  ifMatch?: IfMatch;
  /** False: a concurrency conflict is thrown as is (a caller maps it to its own rule). */
  retryOnConflict?: boolean;
  context: CommandContext;
}

export interface CommandResult {
  /** The aggregate id (product id, SKU, order id). */
  id: string;
  streamId: string;
  /** Revision of the stream's last event; -1 when the stream is still empty. */
  streamRevision: number;
  /** `$all` position of the stream's last event; null when the stream is still empty. */
  position: Position | null;
  /** Events this command appended (0 when it was already satisfied). */
  appended: number;
}
