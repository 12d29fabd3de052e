import type { Doc } from '../../shared-kernel/document-store/port';
import { ConflictError, NotFoundError } from '../../shared-kernel/errors';
import type { Logger } from '../../shared-kernel/logging/logger';
import type { CommandHandler } from '../../write-side/command-handling/command-handler';
import { react } from '../../write-side/orders/fulfillment/saga';
import {
  FULFILLMENT_EVENT_TYPES,
  fulfillmentKey,
  type FulfillmentState,
} from '../../write-side/orders/fulfillment/state';
import type { ProcessorSpec } from '../engine/processor';
import { docKey } from '../engine/projection';

const SAGA_STATE = 'saga_state';
export const SAGA_ACTOR = 'saga:fulfillment';

/**
 * The fulfillment saga hosted as a processor. Its state per order commits with its checkpoint;
 * its commands run (in order) before that commit. A crash in between re-issues them on replay,
 * and their ids, derived from the triggering event, make the repeat a no-op in the store.
 */
export function sagaProcessor(handler: CommandHandler, logger: Logger): ProcessorSpec {
  const stateOf = (docs: ReadonlyMap<string, Doc | null>, id: string) =>
    (docs.get(docKey(SAGA_STATE, id)) ?? null) as unknown as FulfillmentState | null;
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
    async effect(trace) {
      for (const { event, before } of trace) {
        const id = fulfillmentKey(event);
        if (id === null) continue;
        for (const saga of react(stateOf(before, id), event).commands) {
          try {
            await handler.execute({
              aggregate: saga.aggregate,
              command: saga.command,
              commandId: saga.commandId,
              context: {
                correlationId: event.metadata.correlationId,
                causationId: event.eventId,
                actor: SAGA_ACTOR,
                occurredAt: event.metadata.occurredAt,
              },
            } as Parameters<CommandHandler['execute']>[0]);
          } catch (error) {
            // A rule the order now breaks (the customer cancelled first) is an outcome, not a fault.
            if (!(error instanceof ConflictError) && !(error instanceof NotFoundError)) throw error;
            logger.info('saga command refused by a rule', {
              orderId: id,
              command: saga.command.type,
              rule: error.type,
            });
          }
        }
      }
    },
  };
}
