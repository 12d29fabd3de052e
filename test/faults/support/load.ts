import { setTimeout as sleep } from 'node:timers/promises';
import type { Answer } from './http';

/** What a stream of requests got back, kept small: counts, plus a few samples of failures. */
export interface LoadTally {
  sent: number;
  byStatus: Record<number, number>;
  /** Up to 20 answers that were 5xx or no answer at all (status 0), for the failure message. */
  failures: string[];
  /** Answers that were 5xx or no answer at all. */
  failed: number;
}

export function newTally(): LoadTally {
  return { sent: 0, byStatus: {}, failures: [], failed: 0 };
}

export function record(tally: LoadTally, what: string, answer: Answer): void {
  tally.sent += 1;
  tally.byStatus[answer.status] = (tally.byStatus[answer.status] ?? 0) + 1;
  if (answer.status === 0 || answer.status >= 500) {
    tally.failed += 1;
    if (tally.failures.length < 20) {
      tally.failures.push(`${what} -> ${answer.status} ${answer.raw.slice(0, 300)}`);
    }
  }
}

/** A load that runs until stopped; `stop()` resolves once the requests in flight are answered. */
export interface RunningLoad {
  readonly tally: LoadTally;
  stop(): Promise<void>;
}

/**
 * `clients` loops each sending one request after another (a closed loop, as real clients
 * behave) until stopped. With `perSecond`, the whole load is paced to that rate: each send
 * waits for its slot, so a slow server is not hidden by a client that gives up sending.
 */
export function runLoad(
  clients: number,
  send: (client: number, n: number) => Promise<{ what: string; answer: Answer }>,
  perSecond?: number,
): RunningLoad {
  const tally = newTally();
  let stopped = false;
  const started = Date.now();
  let issued = 0;
  const loop = async (client: number) => {
    let n = 0;
    while (!stopped) {
      if (perSecond !== undefined) {
        const slot = started + (issued++ * 1000) / perSecond;
        const wait = slot - Date.now();
        if (wait > 0) await sleep(wait);
        if (stopped) break;
      }
      const { what, answer } = await send(client, n++);
      record(tally, what, answer);
    }
  };
  const loops = Array.from({ length: clients }, (_, client) => loop(client));
  return {
    tally,
    async stop() {
      stopped = true;
      await Promise.all(loops);
    },
  };
}

/** A compact `{status: count}` for a figure line. */
export const shown = (tally: LoadTally) => JSON.stringify(tally.byStatus);
