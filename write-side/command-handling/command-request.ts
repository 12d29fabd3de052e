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

export interface CommandRequest<A extends AggregateType = AggregateType> {
  aggregate: A;
  command: CommandOf<A>;
  /** UUID; the ids of the events it causes derive from it, so a retried append is recognised. */
  commandId: string;
  /**
   * `If-Match`: the stream must be at exactly this revision (-1: must not exist). A mismatch
   * is `PreconditionFailedError` and never retried; without it a concurrency conflict is retried.
   */
  expectedRevision?: number;
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
