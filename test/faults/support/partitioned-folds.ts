import { expect } from 'chai';
import { setTimeout as sleep } from 'node:timers/promises';
import { preparePartitionedTarget } from '../../../projections/engine/partition-layout';
import { partitionNames } from '../../../projections/engine/partitions';
import { readModelProjections } from '../../../projections/read-models';
import type { ShopStores } from '../../support/shop-stores';
import { stopwatch } from './figures';

/**
 * The partitioned-throughput scenario's fold: seconds until the orders partitions, started over
 * from the first event on a new, empty target (the swap a reset makes), are back at the head.
 */
export async function foldFromStart(
  shop: ShopStores,
  partitions: number,
  head: () => Promise<string | null>,
): Promise<number> {
  const swap = await emptyOrdersTarget(shop, partitions);
  const folding = stopwatch();
  await swap();
  await partitionsAtHead(shop, partitionNames('orders', partitions), await head());
  return folding();
}

/**
 * A reset's new target: empty, each partition's checkpoint at the log's first event; the swap
 * it returns makes it live (the workers start over from there).
 */
async function emptyOrdersTarget(
  shop: ShopStores,
  partitions: number,
): Promise<() => Promise<void>> {
  const orders = readModelProjections().find((projection) => projection.name === 'orders')!;
  let first: { position: string; type: string } | null = null;
  for await (const event of shop.events.readAll({ maxCount: 1 })) first = event;
  // The first event must be one orders does not fold, or the new target would miss it.
  expect(orders.handles.has(first!.type), first!.type).to.equal(false);
  const target = await shop.documents.createTarget('orders');
  await preparePartitionedTarget(shop.documents, 'orders', partitions, target, first!.position);
  return () => shop.documents.swap('orders', target);
}

/** Polled every 10 ms: the fold takes a second or more, so the poll adds at most 1% to it. */
async function partitionsAtHead(
  shop: ShopStores,
  names: readonly string[],
  head: string | null,
): Promise<void> {
  const deadline = Date.now() + 600_000;
  for (;;) {
    const checkpoints = await Promise.all(names.map((name) => shop.documents.getCheckpoint(name)));
    if (checkpoints.every((checkpoint) => checkpoint === head)) return;
    if (Date.now() > deadline) throw new Error(`partitions not at ${head}: ${checkpoints}`);
    await sleep(10);
  }
}
