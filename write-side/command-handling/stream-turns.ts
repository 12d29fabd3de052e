/**
 * Commands on the same stream inside one process take turns (first come, first served), each
 * turn one load-decide-append attempt. Optimistic concurrency still orders writers across
 * processes, but writers in the same process no longer collide: 32 requests on one hot
 * aggregate run one after another instead of 31 of them failing and retrying each round.
 * Streams nobody is waiting for are forgotten, so the map holds only streams in use.
 */
export type StreamTurns = <T>(streamId: string, work: () => Promise<T>) => Promise<T>;

export function streamTurns(): StreamTurns {
  const tails = new Map<string, Promise<void>>();
  return async (streamId, work) => {
    const previous = tails.get(streamId);
    let done!: () => void;
    const mine = new Promise<void>((resolve) => (done = resolve));
    const tail = previous ? previous.then(() => mine) : mine;
    tails.set(streamId, tail);
    if (previous) await previous;
    try {
      return await work();
    } finally {
      done();
      if (tails.get(streamId) === tail) tails.delete(streamId);
    }
  };
}
