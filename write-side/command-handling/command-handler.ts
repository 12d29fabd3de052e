import { foldEvents, type Decider } from '../../shared-kernel/decider';
import { ConcurrencyError, PreconditionFailedError } from '../../shared-kernel/errors';
import type { DomainEvent, RecordedEvent } from '../../shared-kernel/events/envelope';
import type { EventUpcasting } from '../../shared-kernel/events/upcasting';
import type {
  EventStore,
  ExpectedRevision,
  ReadStreamOptions,
} from '../../shared-kernel/event-store/port';
import type { Logger } from '../../shared-kernel/logging/logger';
import { TRACING_OFF, type Tracing } from '../../shared-kernel/tracing/tracing';
import { aggregateIdOf, aggregates, streamIdOf, type AggregateType } from '../aggregates';
import {
  requireIfMatch,
  type CommandRequest,
  type CommandResult,
  type StateOf,
} from './command-request';
import {
  keepSnapshotIfDue,
  loadAggregate,
  type LoadedAggregate,
  type SnapshotRule,
} from './load-aggregate';
import { toNewEvents, withTraceContext } from './new-events';
import { confirmOrderInContext } from './confirm-order';
import { reserveStockInContext } from './reserve-stock';
import { snapshotVersionOf } from './snapshot-version';
import { foldedStates } from './folded-states';
import { streamTurns } from './stream-turns';
import { backoffDelayMs, sleep } from '../../shared-kernel/backoff';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy';

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
  /** The aggregate's current state, for context loaders that look across aggregates. */
  load<A extends AggregateType>(aggregate: A, id: string): Promise<LoadedAggregate<StateOf<A>>>;
  /** An aggregate's events (upcast), for context loaders that ask what happened when. */
  history(
    aggregate: AggregateType,
    id: string,
    options: ReadStreamOptions,
  ): AsyncIterable<RecordedEvent>;
}

type AnyDecider = Decider<unknown, unknown, DomainEvent>;

/**
 * The one command handler for every aggregate. Between calls it keeps only the last states it
 * folded (a cache checked against the stream on every load, never trusted as current):
 * concurrent commands on different streams proceed in parallel; on the same stream they take turns in
 * this process and are ordered across processes by the store's optimistic concurrency check,
 * a conflict being retried (jittered back-off) until the retry budget is spent.
 */
export function createCommandHandler(deps: CommandHandlerDeps): CommandHandler {
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...deps.retry };
  const { store, upcasting } = deps;
  const tracing = deps.tracing ?? TRACING_OFF;
  const inTurn = streamTurns();
  const folded = foldedStates(deps.foldedStatesKept);
  const every = deps.snapshotEvery ?? DEFAULT_SNAPSHOT_EVERY;
  const rules = new Map<AggregateType, SnapshotRule>(
    (Object.keys(aggregates) as AggregateType[]).map((type) => [
      type,
      { every, version: snapshotVersionOf(type) },
    ]),
  );
  const snapshotsOf = (aggregate: AggregateType) => ({
    rule: rules.get(aggregate)!,
    logger: deps.logger,
  });

  async function fold(aggregate: AggregateType, streamId: string) {
    const decider = aggregates[aggregate].decider as unknown as AnyDecider;
    const from = folded.get(streamId);
    const loaded = await loadAggregate(
      store,
      upcasting,
      decider,
      streamId,
      snapshotsOf(aggregate),
      from,
    );
    if (loaded !== from) folded.keep(streamId, loaded);
    return loaded;
  }

  /** Writes the snapshot when due, and keeps the state as this handler's latest of the stream. */
  function keep(aggregate: AggregateType, streamId: string, loaded: LoadedAggregate<unknown>) {
    const kept = keepSnapshotIfDue(store, streamId, loaded, snapshotsOf(aggregate));
    if (kept !== loaded) folded.keep(streamId, kept);
  }

  async function load<A extends AggregateType>(aggregate: A, id: string) {
    const streamId = streamIdOf(aggregate, id);
    const loaded = await fold(aggregate, streamId);
    keep(aggregate, streamId, loaded);
    return loaded as LoadedAggregate<StateOf<A>>;
  }

  async function* history(aggregate: AggregateType, id: string, options: ReadStreamOptions) {
    for await (const event of store.readStream(streamIdOf(aggregate, id), options)) {
      yield upcasting.upcast(event);
    }
  }

  /** A command whose context depends on its target's state, completed after loading it. */
  async function inContext(request: CommandRequest, state: unknown): Promise<unknown> {
    const { command } = request;
    if (request.aggregate === 'stock' && command.type === 'ReserveStock') {
      const loadOrder = async (orderId: string) => (await load('order', orderId)).state;
      return reserveStockInContext(command, state as StateOf<'stock'>, loadOrder);
    }
    if (request.aggregate === 'order' && command.type === 'ConfirmOrder') {
      return confirmOrderInContext(command, state as StateOf<'order'>, history);
    }
    return command;
  }

  async function attempt(request: CommandRequest, id: string): Promise<CommandResult> {
    const streamId = streamIdOf(request.aggregate, id);
    const decider = aggregates[request.aggregate].decider as unknown as AnyDecider;
    const loaded = await fold(request.aggregate, streamId);
    const condition = request.ifMatch;
    requireIfMatch(streamId, condition, loaded.revision);
    const command = await inContext(request, loaded.state);
    const decided = tracing.inSpan(`decide ${request.command.type}`, () =>
      decider.decide(command, loaded.state),
    );
    // Span names stay few (one per aggregate type); the stream is an attribute.
    const spanOptions = { attributes: { 'strata.stream_id': streamId } };
    const unchanged = { id, streamId, streamRevision: loaded.revision, appended: 0 };
    if (decided.length === 0) {
      keep(request.aggregate, streamId, loaded);
      return { ...unchanged, position: loaded.position };
    }
    const events = toNewEvents(decided, request.commandId, request.context, upcasting);
    const expected: ExpectedRevision = loaded.revision === -1 ? 'no_stream' : loaded.revision;
    try {
      const appended = await tracing.inSpan(
        `append ${request.aggregate}`,
        () => store.append(streamId, withTraceContext(events, tracing), expected),
        spanOptions,
      );
      if (appended.streamRevision === loaded.revision + events.length) {
        const state = foldEvents(decider, decided, loaded.state);
        const { position } = appended;
        const after = { ...loaded, state, position, revision: appended.streamRevision };
        folded.keep(streamId, after);
        keep(request.aggregate, streamId, after);
      }
      return { ...unchanged, ...appended, appended: events.length };
    } catch (error) {
      if (condition !== undefined && error instanceof ConcurrencyError) {
        throw new PreconditionFailedError(
          `${streamId} changed after revision ${loaded.revision} was read (If-Match)`,
        );
      }
      throw error;
    }
  }

  async function execute<A extends AggregateType>(request: CommandRequest<A>) {
    const id = aggregateIdOf(request.aggregate, request.command);
    const retries = request.ifMatch === undefined && request.retryOnConflict !== false;
    const deadline = policy.now() + policy.budgetMs;
    for (let retry = 1; ; retry++) {
      try {
        return await inTurn(streamIdOf(request.aggregate, id), () =>
          attempt(request as CommandRequest, id),
        );
      } catch (error) {
        if (!retries || !(error instanceof ConcurrencyError)) throw error;
        const delay = backoffDelayMs(policy.backoff, retry);
        if (policy.now() + delay > deadline) throw error;
        deps.logger.debug('concurrency conflict, retrying', { streamId: error.streamId, retry });
        await sleep(delay);
      }
    }
  }

  return { execute, load, history };
}
