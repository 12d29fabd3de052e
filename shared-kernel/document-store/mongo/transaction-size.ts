import { BSON } from 'mongodb';
import type { DocumentWrite } from '../port';

/**
 * A MongoDB transaction lives at most 60 s by default and a large one slows the whole replica
 * set; a batch past these bounds is refused before it starts, and the engine commits it in
 * smaller parts (each with its own checkpoint, see projections/engine/commit.ts). Well under the
 * 16 MiB of one oplog entry and the server's transaction lifetime for any reasonable document.
 */
export const TRANSACTION_LIMITS = { writes: 5_000, bytes: 8 * 1024 * 1024 };

/** Null when the writes fit one transaction, else what is too much. */
export function oversizedTransaction(
  writes: readonly DocumentWrite[],
  limits = TRANSACTION_LIMITS,
): string | null {
  if (writes.length > limits.writes) {
    return `${writes.length} writes, more than ${limits.writes} in one transaction`;
  }
  let bytes = 0;
  for (const write of writes) {
    bytes += write.id.length + (write.doc === null ? 0 : BSON.calculateObjectSize(write.doc));
    if (bytes > limits.bytes) {
      return `more than ${limits.bytes} bytes of documents in one transaction`;
    }
  }
  return null;
}
