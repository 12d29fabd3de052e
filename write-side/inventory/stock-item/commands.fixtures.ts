import fc from 'fast-check';
import type { StockItemCommand } from './commands';

/** For specs: any stock item command on `sku`, for one of a few orders. */
export function stockItemCommand(
  sku: string,
  orderIds: readonly string[] = ['o1', 'o2', 'o3', 'o4'],
): fc.Arbitrary<StockItemCommand> {
  const orderId = fc.constantFrom(...orderIds);
  return fc.oneof(
    fc.record({
      type: fc.constant('ReceiveStock'),
      data: fc.record({ sku: fc.constant(sku), quantity: fc.integer({ min: 1, max: 20 }) }),
    }),
    fc.record({
      type: fc.constant('AdjustStock'),
      data: fc.record({
        sku: fc.constant(sku),
        quantity: fc.integer({ min: -20, max: 20 }).filter((q) => q !== 0),
        reason: fc.constant('recount'),
      }),
    }),
    fc.record({
      type: fc.constant('ReserveStock'),
      data: fc.record({
        sku: fc.constant(sku),
        orderId,
        quantity: fc.integer({ min: 1, max: 15 }),
        orderPlaced: fc.boolean(),
      }),
    }),
    fc.record({
      type: fc.constantFrom('ReleaseReservation' as const, 'CommitReservation' as const),
      data: fc.record({ sku: fc.constant(sku), orderId }),
    }),
  );
}
