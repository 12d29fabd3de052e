import type { RecordedEvent } from '../../shared-kernel/events/envelope';
import type { EventUpcasting } from '../../shared-kernel/events/upcasting';
import type { EventStore, ReadStreamOptions } from '../../shared-kernel/event-store/port';
import type { Logger } from '../../shared-kernel/logging/logger';
import type { Tracing } from '../../shared-kernel/tracing/tracing';
import type { AggregateType } from '../aggregates';
import type { BatchOutcome } from './command-batch';
import type { CommandRequest, CommandResult, StateOf } from './command-request';
import type { LoadedAggregate } from './load-aggregate';
import type { RetryPolicy } from './retry-policy';

export interface CommandHandlerDeps {
  store: EventStore;
  upcasting: EventUpcasting;
  logger: Logger;
  retry?: Partial<RetryPolicy>;
  /** Store a snapshot every this many events of a stream (`STRATA_SNAPSHOT_EVERY`); 0: never. */
  snapshotEvery?: number;
  /** Spans for decide and append, and the trace context each appended event records. */
  tracing?: Tracing;
  /** Streams whose last folded state this handler keeps (see `FoldedStates`); 0: none. */
  foldedStatesKept?: number;
}

export const DEFAULT_SNAPSHOT_EVERY = 100;

export interface CommandHandler {
  /** Load, fold, decide, append with the expected revision; retry a conflict when allowed. */
  execute<A extends AggregateType>(request: CommandRequest<A>): Promise<CommandResult>;
  /**
   * Commands to one stream (none with `If-Match`) decided in turn on one load and appended at
   * once: one append, one commit, for what `execute` one by one would append. `inSpan` runs the
   * making of each command's events, so they record the caller's span for it.
   */
  executeAll(requests: readonly CommandRequest[], inSpan?: BatchSpan): Promise<BatchOutcome[]>;
  /** The aggregate's current state, for context loaders that look across aggregates. */
  load<A extends AggregateType>(aggregate: A, id: string): Promise<LoadedAggregate<StateOf<A>>>;
  /** An aggregate's events (upcast), for context loaders that ask what happened when. */
  history(
    aggregate: AggregateType,
    id: string,
    options: ReadStreamOptions,
  ): AsyncIterable<RecordedEvent>;
}

/** Runs `work`, the making of one batched command's events, in the caller's span for it. */
export type BatchSpan = <T>(request: CommandRequest, work: () => T) => T;
