import type { EnvVar } from '../../shared-kernel/config/env';
import { partitionOf, type StreamRange } from '../../shared-kernel/event-store/stream-hash';
import type { ProcessorSpec } from './processor';

/**
 * Partitioned processors: a processor split into P partitions, each a processor of its own for
 * ownership (its own name, checkpoint, lease and fencing token, balanced like any other), that
 * folds only the events of the streams a stable hash of the stream id gives it. Per-stream order
 * is kept because a stream always falls into the same partition.
 *
 * Only processors whose every document folds from one stream alone can be split by stream (see
 * README "Running several workers"): the others must stay whole.
 */
export const PARTITIONABLE_PROCESSORS: ReadonlySet<string> = new Set([
  'orders',
  'inventory',
  'audit',
  'kafka-mirror',
]);

/** Enough for any number of workers two cores (or a dozen hosts) can usefully run. */
export const MAX_PARTITIONS = 64;

/** One of `count` stream-hash ranges (stream-hash.ts) of a processor. */
export interface Partition extends StreamRange {
  /** The processor it is a part of (`orders`). */
  processor: string;
}

/** `orders:2-of-4`: the second of four, 1-based for people (the characters store names allow). */
export function partitionName({ processor, index, count }: Partition): string {
  return `${processor}:${index + 1}-of-${count}`;
}

const PARTITION_NAME = /^(.+):(\d+)-of-(\d+)$/;

/** The partition a processor name stands for, or null for a whole processor. */
export function parsePartitionName(name: string): Partition | null {
  const match = PARTITION_NAME.exec(name);
  if (!match) return null;
  const [, processor, ordinal, count] = match as unknown as [string, string, string, string];
  return { processor, index: Number(ordinal) - 1, count: Number(count) };
}

/** The processor a name belongs to: itself, or the processor a partition is part of. */
export const processorOf = (name: string): string => parsePartitionName(name)?.processor ?? name;

/** The streams a processor's spec folds: all of them, or those of its partition's range. */
export function inPartition(partition: Partition | undefined, streamId: string): boolean {
  return partition === undefined || partitionOf(streamId, partition.count) === partition.index;
}

/** Partitions per processor, as configured: processors not named stay whole. */
export type PartitionCounts = ReadonlyMap<string, number>;

/** `orders=4,inventory=2`: only processors that can be split, each named once, 1 to 64. */
export function partitionsVar(name: string): EnvVar<PartitionCounts> {
  return {
    name,
    expects: `processor=count pairs separated by commas (${[...PARTITIONABLE_PROCESSORS].join(', ')}; 1-${MAX_PARTITIONS})`,
    parse: (raw) => parsePartitionCounts(raw ?? ''),
  };
}

export function parsePartitionCounts(raw: string): PartitionCounts {
  const counts = new Map<string, number>();
  for (const pair of raw.split(',').map((part) => part.trim())) {
    if (pair === '') continue;
    const match = /^([a-z-]+)=(\d+)$/.exec(pair);
    if (!match) throw `"${pair}" is not processor=count`;
    const [, processor, count] = match as unknown as [string, string, string];
    if (!PARTITIONABLE_PROCESSORS.has(processor)) {
      throw `${processor} cannot be partitioned: it must stay whole`;
    }
    if (counts.has(processor)) throw `${processor} is named twice`;
    const partitions = Number(count);
    if (partitions < 1 || partitions > MAX_PARTITIONS) {
      throw `${processor}: ${partitions} partitions is not 1-${MAX_PARTITIONS}`;
    }
    counts.set(processor, partitions);
  }
  return counts;
}

/** The names a processor runs under with `count` partitions: itself when whole. */
export function partitionNames(processor: string, count: number): string[] {
  if (count <= 1) return [processor];
  return Array.from({ length: count }, (_, index) => partitionName({ processor, index, count }));
}

/**
 * The specs the worker runs: each processor configured with P > 1 replaced by its P partitions,
 * which share its collections and fold (their documents never overlap: a document folds from
 * one stream) under their own names.
 */
export function partitionSpecs(
  specs: readonly ProcessorSpec[],
  counts: PartitionCounts,
): ProcessorSpec[] {
  return specs.flatMap((spec) => {
    const processor = spec.projection.name;
    const count = counts.get(processor) ?? 1;
    if (count <= 1) return [spec];
    return Array.from({ length: count }, (_, index): ProcessorSpec => {
      const partition = { processor, index, count };
      return {
        ...spec,
        projection: { ...spec.projection, name: partitionName(partition) },
        partition,
      };
    });
  });
}
