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

/**
 * FNV-1a (32 bit) of the stream id's UTF-16 code units: stable across processes, versions and
 * hosts (no seed), and a few nanoseconds per id, cheap enough to run on every event read.
 */
export function streamHash(streamId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < streamId.length; i++) {
    hash ^= streamId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * Range `index` of `count` holds the hashes [index, index + 1) * 2^32 / count: contiguous ranges,
 * so every stream falls in exactly one.
 */
export function partitionOf(streamId: string, count: number): number {
  return Math.floor((streamHash(streamId) * count) / 0x1_0000_0000);
}
