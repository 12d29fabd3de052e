/**
 * A small key-value cache with per-entry expiry: idempotency records on the write side, query
 * answers on the read side. Values are strings (callers serialise). An adapter that cannot
 * reach its server throws `UnavailableError` rather than answering as if the key were absent,
 * so a caller can tell "no entry" from "cannot know".
 */
export interface Cache {
  /** The value, or null when absent or expired. */
  get(key: string): Promise<string | null>;
  /** Stores (or replaces) the value for `ttlMs` milliseconds. */
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** Stores the value only when the key is absent; true when this call stored it. Atomic. */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** Resolves when the cache answers (for `/readyz`). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export function assertTtl(ttlMs: number): void {
  if (!Number.isSafeInteger(ttlMs) || ttlMs <= 0) {
    throw new RangeError(`cache TTL must be a positive integer of milliseconds, got ${ttlMs}`);
  }
}
