import type { AllSubscription, SubscribeToAllOptions, SubscriptionMessage } from '../port';
import type { ChangeFeed } from './change-feed';
import { decodePosition, encodePosition } from './positions';
import { toRecordedEvent, type EventRow, type Statements } from './statements';

export interface SubscriptionDeps {
  statements: Statements;
  feed: ChangeFeed;
  pageSize: number;
  /** Called once when the subscription ends, so the store can forget it. */
  onClosed(subscription: AllSubscription): void;
}

/**
 * Catch-up subscription to `$all`. Consumer-driven: a page is read only when the consumer has
 * taken the previous one, so a slow consumer costs one page of memory, not a growing buffer.
 * Paging on `position > last delivered` makes the switch from stored to live events seamless:
 * there is no separate live channel whose events could overlap or miss the catch-up reads.
 */
export function subscribeToAll(
  deps: SubscriptionDeps,
  { after = null, decodes, types, partition }: SubscribeToAllOptions,
): AllSubscription {
  const { statements, feed, pageSize } = deps;
  let last = decodePosition(after);
  let page: EventRow[] = [];
  let index = 0;
  let caughtUp = false;
  let closed = false;
  /** Serialises pulls, in case a consumer calls next() again before the last one settled. */
  let inFlight: Promise<IteratorResult<SubscriptionMessage>> | null = null;
  const done = { done: true as const, value: undefined };

  function take(row: EventRow): IteratorResult<SubscriptionMessage> {
    last = row[0];
    return { done: false, value: { kind: 'event', event: toRecordedEvent(row) } };
  }

  const typeList = types ? JSON.stringify([...types]) : null;
  const decoded = decodes ?? (types ? (type: string) => types.has(type) : null);

  /**
   * The next page. With `decodes` or `types`, rows come without their payloads and only those the
   * subscriber decodes get theirs; with `types`, only the rows of those types among the next
   * `pageSize` positions, and the last of them whatever its type.
   */
  function readPage(): EventRow[] {
    if (!decoded) return statements.allPage.all(last, pageSize);
    const rows =
      typeList === null ? statements.allPageWithoutPayloads.all(last, pageSize) : window(typeList);
    const wanted = rows.filter((row) => decoded(row[4], row[1])).map((row) => row[0]);
    if (wanted.length === 0) return rows;
    const payloads = new Map<number, [string, string]>();
    for (const [position, data, metadata] of statements.payloadsAt.all(JSON.stringify(wanted))) {
      payloads.set(position, [data, metadata]);
    }
    for (const row of rows) {
      const payload = payloads.get(row[0]);
      if (payload) [row[5], row[6]] = payload;
    }
    return rows;
  }

  /**
   * The rows of `types` (a JSON array) among the next `pageSize` positions, of `partition`'s
   * streams when given, and the last.
   */
  function window(types: string): EventRow[] {
    const range = { after: last, end: last + pageSize, types };
    const rows = partition
      ? statements.windowOfTypesInPartitionWithoutPayloads.all({
          ...range,
          index: partition.index,
          count: partition.count,
        })
      : statements.windowOfTypesWithoutPayloads.all(range);
    // Positions are dense, so an empty window is the head; were they not, the next row moves on.
    return rows.length > 0 ? rows : statements.allPageWithoutPayloads.all(last, 1);
  }

  async function pull(): Promise<IteratorResult<SubscriptionMessage>> {
    while (!closed) {
      const seenVersion = feed.version();
      page = readPage();
      index = 0;
      if (page.length > 0) return take(page[index++]!);
      if (!caughtUp) {
        caughtUp = true;
        return {
          done: false,
          value: { kind: 'caught-up', position: last === 0 ? null : encodePosition(last) },
        };
      }
      await feed.nextChange(seenVersion);
    }
    return done;
  }

  function next(): Promise<IteratorResult<SubscriptionMessage>> {
    if (closed) return Promise.resolve(done);
    if (inFlight === null && index < page.length) return Promise.resolve(take(page[index++]!));
    const previous = inFlight ?? Promise.resolve(null);
    const current: Promise<IteratorResult<SubscriptionMessage>> = previous.then(() =>
      closed ? done : index < page.length ? take(page[index++]!) : pull(),
    );
    inFlight = current;
    const clear = () => {
      if (inFlight === current) inFlight = null;
    };
    current.then(clear, clear);
    return current;
  }

  const subscription: AllSubscription = {
    async close() {
      if (closed) return;
      closed = true;
      page = [];
      // Wakes this subscription's pending wait (others just re-check and wait again).
      feed.wakeAll();
      deps.onClosed(subscription);
    },
    [Symbol.asyncIterator]() {
      return {
        next,
        async return() {
          await subscription.close();
          return done;
        },
      };
    },
  };
  return subscription;
}
