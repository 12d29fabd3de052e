import { foldEvents, type Decider } from '../../shared-kernel/decider';
import { ConcurrencyError, PreconditionFailedError } from '../../shared-kernel/errors';
import type { DomainEvent } from '../../shared-kernel/events/envelope';
import type { ExpectedRevision, ReadStreamOptions } from '../../shared-kernel/event-store/port';
import { TRACING_OFF } from '../../shared-kernel/tracing/tracing';
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
import { appendSpanOptions, toNewEvents, withTraceContext } from './new-events';
import { commandInContext } from './command-context';
import { snapshotVersionOf } from './snapshot-version';
import { snapshotSpacing } from './snapshot-spacing';
import { foldedStates } from './folded-states';
import { decideInTurn } from './command-batch';
import {
  DEFAULT_SNAPSHOT_EVERY,
  type BatchSpan,
  type CommandHandler,
  type CommandHandlerDeps,
} from './command-handler-port';
import { streamTurns } from './stream-turns';
import { DEFAULT_RETRY_POLICY, retryingConflicts, type RetryPolicy } from './retry-policy';

export type { BatchSpan, CommandHandler, CommandHandlerDeps } from './command-handler-port';
export { DEFAULT_SNAPSHOT_EVERY } from './command-handler-port';

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
  const spacing = snapshotSpacing(every);
  const snapshotsOf = (aggregate: AggregateType) => ({
    rule: rules.get(aggregate)!,
    logger: deps.logger,
    spacing,
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

  const inContext = commandInContext(load, history);

  async function attempt(request: CommandRequest, id: string): Promise<CommandResult> {
    const streamId = streamIdOf(request.aggregate, id);
    const decider = aggregates[request.aggregate].decider as unknown as AnyDecider;
    const loaded = await fold(request.aggregate, streamId);
    const condition = request.ifMatch;
    requireIfMatch(streamId, condition, loaded.revision);
    const command = await inContext(request, loaded.state);
    const decided = tracing.leafSpan(`decide ${request.command.type}`, () =>
      decider.decide(command, loaded.state),
    );
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
        appendSpanOptions(streamId),
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

  async function attemptAll(requests: readonly CommandRequest[], inSpan: BatchSpan) {
    const { aggregate } = requests[0]!;
    const streamId = streamIdOf(aggregate, aggregateIdOf(aggregate, requests[0]!.command));
    const decider = aggregates[aggregate].decider as unknown as AnyDecider;
    const loaded = await fold(aggregate, streamId);
    const { events, outcomes, state } = await decideInTurn(requests, loaded.state, {
      inContext,
      decide: (command, current) => decider.decide(command, current),
      evolve: (current, event) => decider.evolve(current, event),
      toEvents: (request, decided) =>
        inSpan(request, () =>
          withTraceContext(
            toNewEvents(decided, request.commandId, request.context, upcasting),
            tracing,
          ),
        ),
    });
    if (events.length === 0) return outcomes;
    const expected: ExpectedRevision = loaded.revision === -1 ? 'no_stream' : loaded.revision;
    const appended = await tracing.inSpan(
      `append ${aggregate}`,
      () => store.append(streamId, events, expected),
      appendSpanOptions(streamId),
    );
    if (appended.streamRevision === loaded.revision + events.length) {
      const { position } = appended;
      const after = { ...loaded, state, position, revision: appended.streamRevision };
      folded.keep(streamId, after);
      keep(aggregate, streamId, after);
    }
    return outcomes;
  }

  function executeAll(
    requests: readonly CommandRequest[],
    inSpan: BatchSpan = (_, work) => work(),
  ) {
    const [first] = requests;
    if (first === undefined) return Promise.resolve([]);
    const streamId = streamIdOf(first.aggregate, aggregateIdOf(first.aggregate, first.command));
    const others = requests.filter(
      (r) => streamIdOf(r.aggregate, aggregateIdOf(r.aggregate, r.command)) !== streamId,
    );
    if (others.length > 0 || requests.some((r) => r.ifMatch !== undefined)) {
      throw new TypeError(`executeAll: commands to ${streamId} only, none with If-Match`);
    }
    return withRetries(streamId, true, () => attemptAll(requests, inSpan));
  }

  async function execute<A extends AggregateType>(request: CommandRequest<A>) {
    const id = aggregateIdOf(request.aggregate, request.command);
    const retries = request.ifMatch === undefined && request.retryOnConflict !== false;
    const streamId = streamIdOf(request.aggregate, id);
    return withRetries(streamId, retries, () => attempt(request as CommandRequest, id));
  }

  /** Runs `work` in the stream's turn; a concurrency conflict is retried while the budget lasts. */
  function withRetries<T>(streamId: string, retries: boolean, work: () => Promise<T>) {
    const once = () => inTurn(streamId, work);
    return retries ? retryingConflicts(policy, deps.logger, once) : once();
  }

  return { execute, executeAll, load, history };
}
