import { fnv1a } from '../fnv1a';

/**
 * Where a stream falls when a processor is split into partitions. Here, beside the event store,
 * because a store can then skip the other partitions' events itself (SQLite: in its query),
 * instead of handing every event to every partition to drop.
 */

/** One of `count` contiguous ranges of stream hashes, 0-based. */
export interface StreamRange {
  index: number;
  count: number;
}

/** The hash a stream's partition is taken from: FNV-1a of its id, cheap enough for every read. */
export function streamHash(streamId: string): number {
  return fnv1a(streamId);
}

/**
 * Range `index` of `count` holds the hashes [index, index + 1) * 2^32 / count: contiguous ranges,
 * so every stream falls in exactly one.
 */
export function partitionOf(streamId: string, count: number): number {
  return Math.floor((streamHash(streamId) * count) / 0x1_0000_0000);
}
