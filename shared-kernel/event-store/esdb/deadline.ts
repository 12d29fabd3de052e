import { UnavailableError } from '../../errors';

/**
 * Client 6.2.1 drops the deadline of `$all` reads (it forces Infinity) and, against a server
 * that accepts connections and never answers, does not return from any call: its channel waits
 * for a handshake that never comes. These race the call against our own timer instead.
 */
export async function withinDeadline<T>(
  work: Promise<T>,
  ms: number,
  what: string,
  onTimeout: () => void = () => undefined,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout();
      reject(new UnavailableError(`${what} did not answer within ${ms} ms`));
    }, ms);
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
    work.catch(() => undefined); // a late failure of an abandoned call is nobody's to handle
  }
}

/**
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
