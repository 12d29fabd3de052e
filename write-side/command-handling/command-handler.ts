import type { Decider } from '../../shared-kernel/decider';
import { ConcurrencyError, PreconditionFailedError } from '../../shared-kernel/errors';
import type { DomainEvent } from '../../shared-kernel/events/envelope';
import type { EventUpcasting } from '../../shared-kernel/events/upcasting';
import type { EventStore, ExpectedRevision } from '../../shared-kernel/event-store/port';
import type { Logger } from '../../shared-kernel/logging/logger';
import { aggregateIdOf, aggregates, streamIdOf, type AggregateType } from '../aggregates';
import type { CommandRequest, CommandResult, StateOf } from './command-request';
import { loadAggregate, type LoadedAggregate } from './load-aggregate';
import { toNewEvents } from './new-events';
import { reserveStockInContext } from './reserve-stock';
import { streamTurns } from './stream-turns';
import { backoffDelayMs, sleep } from '../../shared-kernel/backoff';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy';

export interface CommandHandlerDeps {
  store: EventStore;
  upcasting: EventUpcasting;
  logger: Logger;
  retry?: Partial<RetryPolicy>;
}

export interface CommandHandler {
  /** Load, fold, decide, append with the expected revision; retry a conflict when allowed. */
  execute<A extends AggregateType>(request: CommandRequest<A>): Promise<CommandResult>;
  /** The aggregate's current state, for context loaders that look across aggregates. */
  load<A extends AggregateType>(aggregate: A, id: string): Promise<LoadedAggregate<StateOf<A>>>;
}

type AnyDecider = Decider<unknown, unknown, DomainEvent>;

/**
 * The one command handler for every aggregate. It keeps no state between calls: concurrent
 * commands on different streams proceed in parallel; on the same stream they take turns in
 * this process and are ordered across processes by the store's optimistic concurrency check,
 * a conflict being retried (jittered back-off) until the retry budget is spent.
 */
export function createCommandHandler(deps: CommandHandlerDeps): CommandHandler {
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...deps.retry };
  const { store, upcasting } = deps;
  const inTurn = streamTurns();

  function load<A extends AggregateType>(aggregate: A, id: string) {
    const definition = aggregates[aggregate];
    const decider = definition.decider as unknown as AnyDecider;
    return loadAggregate(store, upcasting, decider, streamIdOf(aggregate, id)) as Promise<
      LoadedAggregate<StateOf<A>>
    >;
  }

  /** A command whose context depends on its target's state, completed after loading it. */
  async function inContext(request: CommandRequest, state: unknown): Promise<unknown> {
    const { command } = request;
    if (request.aggregate === 'stock' && command.type === 'ReserveStock') {
      const loadOrder = async (orderId: string) => (await load('order', orderId)).state;
      return reserveStockInContext(command, state as StateOf<'stock'>, loadOrder);
    }
    return command;
  }

  async function attempt(request: CommandRequest, id: string): Promise<CommandResult> {
    const streamId = streamIdOf(request.aggregate, id);
    const decider = aggregates[request.aggregate].decider as unknown as AnyDecider;
    const loaded = await loadAggregate(store, upcasting, decider, streamId);
    const pinned = request.expectedRevision;
    if (pinned !== undefined && pinned !== loaded.revision) {
      throw new PreconditionFailedError(
        `${streamId} is at revision ${loaded.revision}, If-Match expected ${pinned}`,
      );
    }
    const command = await inContext(request, loaded.state);
    const decided = decider.decide(command, loaded.state);
    const unchanged = { id, streamId, streamRevision: loaded.revision, appended: 0 };
    if (decided.length === 0) return { ...unchanged, position: loaded.position };
    const events = toNewEvents(decided, request.commandId, request.context, upcasting);
    const expected: ExpectedRevision = loaded.revision === -1 ? 'no_stream' : loaded.revision;
    try {
      const appended = await store.append(streamId, events, expected);
      return { ...unchanged, ...appended, appended: events.length };
    } catch (error) {
      if (pinned !== undefined && error instanceof ConcurrencyError) {
        throw new PreconditionFailedError(
          `${streamId} changed after revision ${pinned} was read (If-Match)`,
        );
      }
      throw error;
    }
  }

  async function execute<A extends AggregateType>(request: CommandRequest<A>) {
    const id = aggregateIdOf(request.aggregate, request.command);
    const retries = request.expectedRevision === undefined && request.retryOnConflict !== false;
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

  return { execute, load };
}
