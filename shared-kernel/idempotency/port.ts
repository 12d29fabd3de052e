/**
 * Where the command API keeps its idempotency records: a claim while a command runs, then the
 * answer it gave. Values are opaque strings (the caller serialises). Every operation is atomic
 * across every process that shares the store, and an adapter that cannot reach its storage
 * throws `UnavailableError` rather than answering as if the key were free.
 */
export interface IdempotencyStore {
  /**
   * Stores `claim` under `key` for `ttlMs` unless the key holds a live record. Null when this
   * call stored it; otherwise the record the key holds.
   */
  claim(key: string, claim: string, ttlMs: number): Promise<string | null>;
  /** Replaces whatever the key holds with `record`, kept for `ttlMs` (the final answer). */
  complete(key: string, record: string, ttlMs: number): Promise<void>;
  /** Deletes the key only while it still holds exactly `claim`: never an answer or another's claim. */
  release(key: string, claim: string): Promise<void>;
  /** Resolves when the store answers (for `/readyz`). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
