import type { Decider } from '../../shared-kernel/decider';
import { ConcurrencyError, PreconditionFailedError } from '../../shared-kernel/errors';
import type { DomainEvent } from '../../shared-kernel/events/envelope';
import type { EventUpcasting } from '../../shared-kernel/events/upcasting';
import type { EventStore, ExpectedRevision } from '../../shared-kernel/event-store/port';
import type { Logger } from '../../shared-kernel/logging/logger';
import { aggregates, type AggregateType } from '../aggregates';
import {
  aggregateIdOf,
  requireIfMatch,
  type CommandRequest,
  type CommandResult,
  type StateOf,
} from './command-request';
import { loadAggregate, type LoadedAggregate } from './load-aggregate';
import { toNewEvents } from './new-events';
import { backoffDelayMs, DEFAULT_RETRY_POLICY, sleep, type RetryPolicy } from './retry-policy';

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
 * The one command handler for every aggregate. It holds no lock and keeps no state between
 * calls: concurrent commands on different streams proceed in parallel, and commands on the
 * same stream are ordered by the store's optimistic concurrency check.
 */
export function createCommandHandler(deps: CommandHandlerDeps): CommandHandler {
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...deps.retry };
  const { store, upcasting } = deps;

  function load<A extends AggregateType>(aggregate: A, id: string) {
    const definition = aggregates[aggregate];
    const decider = definition.decider as unknown as AnyDecider;
    return loadAggregate(store, upcasting, decider, definition.streamPrefix + id) as Promise<
      LoadedAggregate<StateOf<A>>
    >;
  }

  async function attempt(request: CommandRequest, id: string): Promise<CommandResult> {
    const streamId = aggregates[request.aggregate].streamPrefix + id;
    const decider = aggregates[request.aggregate].decider as unknown as AnyDecider;
    const loaded = await loadAggregate(store, upcasting, decider, streamId);
    const condition = request.ifMatch;
    requireIfMatch(streamId, condition, loaded.revision);
    const decided = decider.decide(request.command, loaded.state);
    const unchanged = { id, streamId, streamRevision: loaded.revision, appended: 0 };
    if (decided.length === 0) return { ...unchanged, position: loaded.position };
    const events = toNewEvents(decided, request.commandId, request.context, upcasting);
    const expected: ExpectedRevision = loaded.revision === -1 ? 'no_stream' : loaded.revision;
    try {
      const appended = await store.append(streamId, events, expected);
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
    for (let tries = 1; ; tries++) {
      try {
        return await attempt(request as CommandRequest, id);
      } catch (error) {
        if (!retries || !(error instanceof ConcurrencyError) || tries >= policy.maxAttempts) {
          throw error;
        }
        deps.logger.debug('concurrency conflict, retrying', { streamId: error.streamId, tries });
        await sleep(backoffDelayMs(policy, tries));
      }
    }
  }

  return { execute, load };
}
