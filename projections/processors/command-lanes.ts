/**
 * Runs work items grouped into lanes: the items of one lane one after another in the order
 * given, different lanes side by side, at most `concurrency` lanes at a time. The saga's lanes
 * are its target streams, so commands to one stream keep their decision order while commands to
 * different streams share the event store's group commits instead of waiting on each other.
 *
 * After the first failure no further item starts; the items already running finish (so none is
 * still running when the caller retries the batch), then that failure is thrown.
 */
export async function runInLanes<T>(
  items: readonly T[],
  laneOf: (item: T) => string,
  run: (item: T) => Promise<void>,
  concurrency: number,
): Promise<void> {
  const lanes = new Map<string, T[]>();
  for (const item of items) {
    const key = laneOf(item);
    const lane = lanes.get(key);
    if (lane) lane.push(item);
    else lanes.set(key, [item]);
  }
  const waiting = lanes.values();
  let failure: { error: unknown } | null = null;
  const worker = async () => {
    for (let next = waiting.next(); !next.done; next = waiting.next()) {
      for (const item of next.value) {
        if (failure !== null) return;
        try {
          await run(item);
        } catch (error) {
          failure ??= { error };
          return;
        }
      }
    }
  };
  const workers = Math.max(1, Math.min(concurrency, lanes.size));
  await Promise.all(Array.from({ length: workers }, worker));
  if (failure !== null) throw (failure as { error: unknown }).error;
}
