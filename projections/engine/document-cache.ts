import type { Doc, DocumentWrite } from '../../shared-kernel/document-store/port';
import { docKey } from './projection';

/**
 * The documents a rebuild (or a running processor, runner-context.ts) has read from or written
 * to its target, kept across its batches, so that a batch does not read back what the batch
 * before it just wrote: it is its target's only writer, so what it remembers is what it holds. Bounded (memory stays flat over
 * any history): past `capacity` documents the ones it learned of first are forgotten (and read
 * from the store again when next needed): no reordering per hit, which cost more than the reads
 * it saved. `null` remembers that a document does not exist.
 */
export interface DocumentCache {
  /** The document under `key` (`docKey(collection, id)`), null if absent, undefined if unknown. */
  get(key: string): Doc | null | undefined;
  /** Call only with what the target holds: documents read from it, or writes it committed. */
  remember(writes: Iterable<DocumentWrite>): void;
}

export function documentCache(capacity = 20_000): DocumentCache {
  // A Map keeps insertion order: its first keys are the ones learned of first.
  const docs = new Map<string, Doc | null>();
  return {
    get: (key) => docs.get(key),
    remember(writes) {
      for (const { collection, id, doc } of writes) docs.set(docKey(collection, id), doc);
      for (const key of docs.keys()) {
        if (docs.size <= capacity) break;
        docs.delete(key);
      }
    },
  };
}
