import type { Doc } from '../../shared-kernel/document-store/port';
import { ConflictError, NotFoundError } from '../../shared-kernel/errors';
import type { RecordedEvent } from '../../shared-kernel/events/envelope';
import type { Logger } from '../../shared-kernel/logging/logger';
import { TRACING_OFF, type Tracing } from '../../shared-kernel/tracing/tracing';
import type { CommandHandler } from '../../write-side/command-handling/command-handler';
import { aggregateIdOf } from '../../write-side/aggregates';
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

/** A command the saga decided, with the event that triggered it. */
interface Decided {
  saga: SagaCommand;
  trigger: RecordedEvent;
  orderId: string;
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

  async function execute({ saga, trigger, orderId }: Decided): Promise<void> {
    try {
      await tracing.continueFrom(`saga ${saga.command.type}`, trigger.metadata, () =>
        handler.execute({
          aggregate: saga.aggregate,
          command: saga.command,
          commandId: saga.commandId,
          context: {
            correlationId: trigger.metadata.correlationId,
            causationId: trigger.eventId,
            actor: SAGA_ACTOR,
            occurredAt: now().toISOString(),
          },
        } as Parameters<CommandHandler['execute']>[0]),
      );
    } catch (error) {
      // A rule the order now breaks (the customer cancelled first) is an outcome, not a fault.
      if (!(error instanceof ConflictError) && !(error instanceof NotFoundError)) throw error;
      logger.info('saga command refused by a rule', {
        orderId,
        command: saga.command.type,
        rule: error.type,
      });
    }
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
          decided.push({ saga, trigger: event, orderId });
        }
      }
      await runInLanes(
        decided,
        ({ saga }) => `${saga.aggregate}/${aggregateIdOf(saga.aggregate, saga.command)}`,
        async (command) => {
          await execute(command);
          progress();
        },
        SAGA_STREAMS_IN_FLIGHT,
      );
    },
  };
}
