/**
 * What a searcher keeps between searches (a text's matches, a term's occurrences), valid for
 * one text generation of its target: `at` drops everything when the generation moved on. The
 * least recently used entries go once there are more than `maxEntries` or their sizes add up
 * past `maxSize`, so a query process holds at most that much whatever the searches ask.
 */
export function boundedCache<V>(maxEntries: number, maxSize: number, sizeOf: (value: V) => number) {
  const entries = new Map<string, V>();
  let size = 0;
  let generation: string | null = null;
  return {
    at(current: string): void {
      if (current === generation) return;
      entries.clear();
      size = 0;
      generation = current;
    },
    get(key: string): V | undefined {
      const value = entries.get(key);
      if (value !== undefined) {
        entries.delete(key);
        entries.set(key, value);
      }
      return value;
    },
    set(key: string, value: V): void {
      const old = entries.get(key);
      if (old !== undefined) size -= sizeOf(old);
      entries.delete(key);
      entries.set(key, value);
      size += sizeOf(value);
      for (const [oldest, entry] of entries) {
        if (entries.size <= maxEntries && size <= maxSize) break;
        entries.delete(oldest);
        size -= sizeOf(entry);
      }
    },
  };
}
