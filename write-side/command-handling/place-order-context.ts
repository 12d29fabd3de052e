import { v5 as uuidv5 } from 'uuid';
import { ConflictError } from '../../shared-kernel/errors';
import type { ProductSnapshot } from '../orders/order/commands';
import { changedProductsReason } from '../orders/order/decider';
import { productsChangedBefore } from './changed-products';
import type { CommandHandler } from './command-handler';
import type { CommandRequest, CommandResult } from './command-request';

const PLACEMENT_NAMESPACE = '6a1f0c52-3d9e-4b7a-9e21-5c8d7f3b2a14';

type PlaceOrderRequest = CommandRequest<'order'>;

/**
 * PlaceOrder prices lines from the catalog as it is now: each distinct product is loaded (in
 * parallel) and its sku, price, status and revision put into the command, null for an unknown
 * product, so the order decider stays pure and names the unknown product itself.
 *
 * Reading and appending are two steps on different streams, so a price change or a
 * discontinuation can land between them. Once the order is appended, everything before it in
 * the log is readable, so the placement then asks whether a product it priced from changed
 * before the order's position; if one did, the order is rejected at once (before the saga can
 * confirm it) and the answer is 409 `product-changed`: read the catalog again, order again.
 */
export async function placeOrder(
  handler: CommandHandler,
  request: PlaceOrderRequest,
): Promise<CommandResult> {
  const { command } = request;
  if (command.type !== 'PlaceOrder') throw new TypeError(`not PlaceOrder: ${command.type}`);
  const productIds = [...new Set(command.data.lines.map((line) => line.productId))];
  const snapshots = await catalogSnapshots(handler, productIds);
  const lines = command.data.lines.map((line) => ({
    ...line,
    product: snapshots.get(line.productId) ?? null,
  }));
  const placed = await handler.execute({
    ...request,
    command: { ...command, data: { ...command.data, lines } },
  });
  if (placed.appended === 0 || placed.position === null) return placed;
  const pricedAt = productIds.flatMap((productId) => {
    const snapshot = snapshots.get(productId);
    return snapshot ? [{ productId, productRevision: snapshot.revision }] : [];
  });
  const changed = await productsChangedBefore(
    (productId, fromRevision) => handler.history('product', productId, { fromRevision }),
    pricedAt,
    placed.position,
  );
  if (changed.length === 0) return placed;
  await handler.execute({
    aggregate: 'order',
    command: {
      type: 'RejectOrder',
      data: {
        orderId: placed.id,
        reason: changedProductsReason(changed),
        failedSkus: changed.map((productId) => snapshots.get(productId)?.sku ?? productId),
        at: command.data.at,
      },
    },
    commandId: uuidv5(`${request.commandId}:product-changed`, PLACEMENT_NAMESPACE),
    context: { ...request.context, causationId: request.commandId },
  });
  throw new ConflictError(
    'product-changed',
    `product ${changed.join(', ')} changed while order ${placed.id} was placed, so it was rejected; read the catalog again and place a new order`,
  );
}

/** Each product as it is now, with its revision; null for one that does not exist. */
async function catalogSnapshots(
  handler: CommandHandler,
  productIds: string[],
): Promise<Map<string, ProductSnapshot | null>> {
  const snapshots = new Map<string, ProductSnapshot | null>();
  await Promise.all(
    productIds.map(async (productId) => {
      const { state, revision } = await handler.load('product', productId);
      snapshots.set(
        productId,
        state.status === 'absent'
          ? null
          : { sku: state.sku, price: state.price, status: state.status, revision },
      );
    }),
  );
  return snapshots;
}
