import { v5 as uuidv5 } from 'uuid';
import { streamIdOf } from '../../aggregates';
import type { StockItemCommand } from '../../inventory/stock-item/commands';
import type { OrderCommand } from '../order/commands';

/** A command the saga asks the command handler to run, on behalf of `saga:fulfillment`. */
export type SagaCommand =
  | { commandId: string; aggregate: 'stock'; command: StockItemCommand }
  | { commandId: string; aggregate: 'order'; command: OrderCommand };

/** Fixed namespace for the saga's command ids; changing it would re-issue every command. */
const FULFILLMENT_NAMESPACE = '6f0c7a52-8f5e-4d0a-9a59-2c3e1b7d4f10';

/**
 * The same triggering event always yields the same command id, so a redelivered event (after a
 * crash, before the checkpoint moved) re-issues commands the store already recognises.
 */
export function sagaCommandId(triggerEventId: string, commandType: string, target: string): string {
  return uuidv5(`${triggerEventId}:${commandType}:${target}`, FULFILLMENT_NAMESPACE);
}

export function stockCommand(triggerEventId: string, command: StockItemCommand): SagaCommand {
  const commandId = sagaCommandId(
    triggerEventId,
    command.type,
    streamIdOf('stock', command.data.sku),
  );
  return { commandId, aggregate: 'stock', command };
}

export function orderCommand(triggerEventId: string, command: OrderCommand): SagaCommand {
  const commandId = sagaCommandId(
    triggerEventId,
    command.type,
    streamIdOf('order', command.data.orderId),
  );
  return { commandId, aggregate: 'order', command };
}
