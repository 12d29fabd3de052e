import { newId } from '../../shared-kernel/ids';
import { SAGA_ACTOR } from '../../projections/processors/saga-processor';
import type { CatalogActivity } from './catalog-activity';
import type { Random } from './seeded-random';
import type { Append, Cause, ShopLedger } from './shop-ledger';

const ADDRESS = {
  name: 'Ada Lovelace',
  line1: '1 Main St',
  city: 'Leeds',
  postalCode: 'LS1',
  country: 'GB',
};

/**
 * One order's life, one append per step, in the order the customer and the fulfillment saga
 * would cause them: placement, a reservation per line, then confirmation (or release and
 * rejection when a line cannot be met), then mostly payment, shipment and the commits of the
 * reservations; some orders are cancelled (reservations released) or stay confirmed. The
 * caller interleaves many of these with each other and with catalog activity, as in a real log.
 */
export function* orderFlow(
  shop: ShopLedger,
  catalog: CatalogActivity,
  random: Random,
): Generator<Append> {
  const orderId = newId();
  const customer = `customer-${random.int(20_000)}`;
  const products = catalog.pickForOrder(random.chance(0.6) ? 1 : random.between(2, 3));
  if (products.length === 0) return;
  const correlationId = newId();
  const lines = products.map(({ productId }) => {
    const product = shop.state('product', productId);
    if (product.status === 'absent') throw new Error(`product ${productId} was never created`);
    const revision = shop.revision('product', productId);
    const snapshot = { sku: product.sku, price: product.price, status: product.status, revision };
    return { productId, quantity: random.between(1, 3), product: snapshot };
  });
  const byCustomer: Cause = { correlationId, actor: customer };
  const placed = shop.run(
    'order',
    orderId,
    {
      type: 'PlaceOrder',
      data: { orderId, customerId: customer, lines, shippingAddress: ADDRESS, at: shop.now() },
    },
    byCustomer,
  )!;
  yield placed;
  const bySaga = (trigger: Append): Cause => ({
    correlationId,
    actor: SAGA_ACTOR,
    causationId: trigger.events[trigger.events.length - 1]!.eventId,
  });
  const reserved: string[] = [];
  const failed: string[] = [];
  for (const { quantity, product } of lines) {
    const sku = product.sku;
    const data = { sku, orderId, quantity };
    const outcome = shop.run('stock', sku, { type: 'ReserveStock', data }, bySaga(placed))!;
    yield outcome;
    (outcome.events[0]!.type === 'StockReserved' ? reserved : failed).push(sku);
  }
  const release = function* (trigger: Append) {
    for (const sku of reserved) {
      const data = { sku, orderId };
      yield shop.run('stock', sku, { type: 'ReleaseReservation', data }, bySaga(trigger))!;
    }
  };
  const orderCommand = (command: Parameters<ShopLedger['run']>[2], cause: Cause) =>
    shop.run('order', orderId, command as never, cause)!;
  try {
    if (failed.length > 0) {
      yield* release(placed);
      const data = { orderId, reason: 'insufficient stock', failedSkus: failed, at: shop.now() };
      yield orderCommand({ type: 'RejectOrder', data }, bySaga(placed));
      return;
    }
    const confirmed = orderCommand(
      { type: 'ConfirmOrder', data: { orderId, at: shop.now() } },
      bySaga(placed),
    );
    yield confirmed;
    const fate = random.next();
    if (fate < 0.05) return;
    if (fate < 0.13) {
      const data = { orderId, reason: 'changed my mind', at: shop.now() };
      const cancelled = orderCommand({ type: 'CancelOrder', data }, byCustomer);
      yield cancelled;
      yield* release(cancelled);
      return;
    }
    const order = shop.state('order', orderId);
    if (order.status === 'absent') throw new Error(`order ${orderId} vanished`);
    const payment = {
      orderId,
      amount: order.total,
      paymentReference: `pay-${orderId}`,
      at: shop.now(),
    };
    yield orderCommand({ type: 'RecordPayment', data: payment }, byCustomer);
    const shipment = { orderId, carrier: 'DHL', trackingNumber: `trk-${orderId}`, at: shop.now() };
    const shipped = orderCommand(
      { type: 'ShipOrder', data: shipment },
      { correlationId, actor: 'warehouse' },
    );
    yield shipped;
    for (const sku of reserved) {
      const data = { sku, orderId };
      yield shop.run('stock', sku, { type: 'CommitReservation', data }, bySaga(shipped))!;
    }
  } finally {
    shop.forget('order', orderId);
  }
}
