/**
 * FNV-1a (32 bit) of a string's UTF-16 code units: stable across processes, versions and hosts
 * (no seed), and a few nanoseconds per short string. Stored data depends on it (partitions of
 * streams, the slots of KeyedRecords in snapshots), so it must never change.
 */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
