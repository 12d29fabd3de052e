import type { Position, RecordedEvent } from '../../shared-kernel/events/envelope';
import type { SubscriptionMessage } from '../../shared-kernel/event-store/port';
import { MAX_PARTITIONS } from './partitions';

export interface BatchingOptions {
  /** Largest batch, in events the processor folds: bounds the size of one transaction. */
  maxSize: number;
  /** Once a batch has started, how long to wait for more events before handing it on. */
  maxWaitMs: number;
}

export type BatchMessage =
  { kind: 'batch'; events: RecordedEvent[] } | { kind: 'caught-up'; position: Position | null };

const TIMEOUT = Symbol('timeout');

/**
 * Groups a subscription's events into batches by size and time. Size counts the events `folds`
 * (a partition may be handed other streams' events, to move its checkpoint): a partition's commits
 * are as large as a whole processor's, not a P-th of them, each paying the fixed cost of a commit
 * (fence and checkpoint checks) once. While catching up the source answers at once and batches
 * fill to `maxSize`; live, a batch is handed on after `maxWaitMs`,
 * so the wait bounds the added lag. One timer per batch, not per event: this is the hot path.
 */
export async function* batchesOf(
  source: AsyncIterable<SubscriptionMessage>,
  options: BatchingOptions,
  folds: (event: RecordedEvent) => boolean = () => true,
): AsyncGenerator<BatchMessage> {
  const iterator = source[Symbol.asyncIterator]();
  // One partition of P folds about one event in P of those it reads (the others come undecoded,
  // a few hundred bytes each): this bounds memory without shrinking a partition's transactions.
  const maxEvents = options.maxSize * MAX_PARTITIONS;
  let pending: Promise<IteratorResult<SubscriptionMessage>> | null = null;
  let events: RecordedEvent[] = [];
  let folded = 0;
  let deadline: Promise<typeof TIMEOUT> | null = null;
  let clearDeadline: () => void = () => {};
  const flush = (): BatchMessage => {
    const batch: BatchMessage = { kind: 'batch', events };
    events = [];
    folded = 0;
    clearDeadline();
    deadline = null;
    return batch;
  };
  try {
    while (true) {
      pending ??= iterator.next();
      let result: IteratorResult<SubscriptionMessage> | typeof TIMEOUT;
      if (events.length === 0) {
        result = await pending;
      } else {
        if (deadline === null) {
          deadline = new Promise((resolve) => {
            const timer = setTimeout(() => resolve(TIMEOUT), options.maxWaitMs);
            clearDeadline = () => clearTimeout(timer);
          });
        }
        result = await Promise.race([pending, deadline]);
      }
      if (result === TIMEOUT) {
        yield flush();
        continue;
      }
      pending = null;
      if (result.done) break;
      const message = result.value;
      if (message.kind === 'caught-up') {
        if (events.length > 0) yield flush();
        yield message;
        continue;
      }
      events.push(message.event);
      if (folds(message.event)) folded++;
      if (folded >= options.maxSize || events.length >= maxEvents) yield flush();
    }
    if (events.length > 0) yield flush();
  } finally {
    clearDeadline();
    await iterator.return?.();
  }
}
