import { withinDeadline } from '../../deadline';

/**
 * Client 6.2.1 drops the deadline of `$all` reads (it forces Infinity) and, against a server
 * that accepts connections and never answers, does not return from any call: its channel waits
 * for a handshake that never comes. Calls are raced against our own timer (../../deadline.ts).
 *
 * A streaming read whose every next event must come within `idleMs` of being asked for. The
 * time a consumer spends between events does not count, so a slow rebuild never times out;
 * a server that stops answering mid-read does.
 */
export async function* idleBounded<T>(
  read: AsyncIterable<T>,
  idleMs: number,
  what: string,
  cancel: () => void,
): AsyncGenerator<T> {
  const iterator = read[Symbol.asyncIterator]();
  try {
    while (true) {
      const next = await withinDeadline(iterator.next(), idleMs, what, cancel);
      if (next.done) return;
      yield next.value;
    }
  } finally {
    await iterator.return?.();
  }
}
