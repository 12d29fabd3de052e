import type { Doc } from '../../shared-kernel/document-store/port';
import { ConflictError, NotFoundError } from '../../shared-kernel/errors';
import type { RecordedEvent } from '../../shared-kernel/events/envelope';
import type { Logger } from '../../shared-kernel/logging/logger';
import { TRACING_OFF, type Tracing } from '../../shared-kernel/tracing/tracing';
import type { CommandHandler } from '../../write-side/command-handling/command-handler';
import { aggregateIdOf, streamIdOf } from '../../write-side/aggregates';
import type { CommandRequest } from '../../write-side/command-handling/command-request';
import { react } from '../../write-side/orders/fulfillment/saga';
import type { SagaCommand } from '../../write-side/orders/fulfillment/saga-command';
import {
  FULFILLMENT_EVENT_TYPES,
  fulfillmentKey,
  type FulfillmentState,
} from '../../write-side/orders/fulfillment/state';
import type { ProcessorSpec } from '../engine/processor';
import { docKey } from '../engine/projection';
import { runInLanes } from './command-lanes';

const SAGA_STATE = 'saga_state';
export const SAGA_ACTOR = 'saga:fulfillment';

/**
 * Streams the saga writes to at once. Enough to fill the event store's group commits (one
 * fsync for many streams' appends); a hot SKU still gets one lane, so it never waits on more.
 */
export const SAGA_STREAMS_IN_FLIGHT = 32;

/**
 * Most commands one append carries: one commit for many of a hot SKU's reservations, yet an
 * append well below EventStoreDB's default 1 MiB write limit.
 */
export const SAGA_COMMANDS_PER_APPEND = 100;

/** A command the saga decided, with the event that triggered it. */
interface Decided {
  saga: SagaCommand;
  trigger: RecordedEvent;
  orderId: string;
  streamId: string;
}

/** The commands per target stream in decision order, cut into appends of at most the limit. */
function groupedByStream(decided: readonly Decided[]): Decided[][] {
  const lanes = new Map<string, Decided[][]>();
  for (const command of decided) {
    const appends = lanes.get(command.streamId);
    const last = appends?.at(-1);
    if (last && last.length < SAGA_COMMANDS_PER_APPEND) last.push(command);
    else if (appends) appends.push([command]);
    else lanes.set(command.streamId, [[command]]);
  }
  return [...lanes.values()].flat();
}

/** What the saga is given besides its handler; both have defaults. */
export interface SagaOptions {
  /** When the saga decides: its events say when they happened, not when their trigger did. */
  now?: () => Date;
  tracing?: Tracing;
}

/**
 * The fulfillment saga hosted as a processor. Its state per order commits with its checkpoint;
 * its commands run before that commit, each through the command handler: those to one stream
 * in decision order, those to different streams side by side. A crash in between re-issues them
 * on replay, and their ids, derived from the triggering event, make the repeat a no-op.
 *
 * Each command runs in a span that is a child of the span its triggering event was appended in,
 * so the events it appends join that event's trace (one trace per checkout).
 */
export function sagaProcessor(
  handler: CommandHandler,
  logger: Logger,
  { now = () => new Date(), tracing = TRACING_OFF }: SagaOptions = {},
): ProcessorSpec {
  const stateOf = (docs: ReadonlyMap<string, Doc | null>, id: string) =>
    (docs.get(docKey(SAGA_STATE, id)) ?? null) as unknown as FulfillmentState | null;

  const requestOf = ({ saga, trigger }: Decided): CommandRequest =>
    ({
      aggregate: saga.aggregate,
      command: saga.command,
      commandId: saga.commandId,
      context: {
        correlationId: trigger.metadata.correlationId,
        causationId: trigger.eventId,
        actor: SAGA_ACTOR,
        occurredAt: now().toISOString(),
      },
    }) as CommandRequest;
  const spanName = ({ saga }: Decided) => `saga ${saga.command.type}`;

  /** A rule the order now breaks (the customer cancelled first) is an outcome, not a fault. */
  function refused({ saga, orderId }: Decided, error: unknown): void {
    if (!(error instanceof ConflictError) && !(error instanceof NotFoundError)) throw error;
    logger.info('saga command refused by a rule', {
      orderId,
      command: saga.command.type,
      rule: error.type,
    });
  }

  /**
   * One stream's commands of a batch: alone, through `execute` in its own span; several (a hot
   * SKU's reservations) decided in turn and appended at once, one commit instead of one each,
   * each command's events still recording a span of its own under its trigger.
   */
  async function executeLane(lane: Decided[]): Promise<void> {
    if (lane.length === 1) {
      const [decided] = lane as [Decided];
      try {
        await tracing.continueFrom(spanName(decided), decided.trigger.metadata, () =>
          handler.execute(requestOf(decided)),
        );
      } catch (error) {
        refused(decided, error);
      }
      return;
    }
    const requests = lane.map(requestOf);
    const outcomes = await handler.executeAll(requests, (request, work) => {
      const decided = lane[requests.indexOf(request)]!;
      return tracing.continueFrom(spanName(decided), decided.trigger.metadata, work);
    });
    outcomes.forEach((outcome, index) => {
      if ('refused' in outcome) refused(lane[index]!, outcome.refused);
    });
  }

  return {
    rebuildable: false,
    projection: {
      name: 'fulfillment-saga',
      collections: [{ name: SAGA_STATE, indexes: [] }],
      handles: new Set<string>(FULFILLMENT_EVENT_TYPES),
      reads(event) {
        const id = fulfillmentKey(event);
        return id === null ? [] : [{ collection: SAGA_STATE, id }];
      },
      apply(event, docs) {
        const id = fulfillmentKey(event);
        if (id === null) return [];
        const { state } = react(stateOf(docs, id), event);
        return [{ collection: SAGA_STATE, id, doc: state as unknown as Doc | null }];
      },
    },
    async effect(trace, progress) {
      const decided: Decided[] = [];
      for (const { event, before } of trace) {
        const orderId = fulfillmentKey(event);
        if (orderId === null) continue;
        for (const saga of react(stateOf(before, orderId), event).commands) {
          const streamId = streamIdOf(saga.aggregate, aggregateIdOf(saga.aggregate, saga.command));
          decided.push({ saga, trigger: event, orderId, streamId });
        }
      }
      await runInLanes(
        groupedByStream(decided),
        (lane) => lane[0]!.streamId,
        async (lane) => {
          await executeLane(lane);
          progress();
        },
        SAGA_STREAMS_IN_FLIGHT,
      );
    },
  };
}
