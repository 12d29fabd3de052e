import type { NewEvent } from '../../shared-kernel/events/envelope';
import type { EventStore } from '../../shared-kernel/event-store/port';
import { newId } from '../../shared-kernel/ids';
import { streamIdOf } from '../../write-side/aggregates';
import { benchEvent } from '../support/append-work';
import { runInFlight } from '../support/measure';
import type { Peer } from './peer';

/** Each stock item's history: this many events, appended this many at a time. */
export const EVENTS_PER_STREAM = 20;
const EVENTS_PER_APPEND = 10;
/** Strata's fill runs writers in parallel (its group commit); Emmett's one at a time. */
const STRATA_FILL_WRITERS = 8;
/** Attempts at each of Emmett's fill appends before the benchmark gives up. */
const FILL_ATTEMPTS = 5;

/**
 * Grows the same stock history in both logs (setup, not measured): new stock items of 20 events
 * each (receipts, and every fifth a count adjustment of -1), appended 10 at a time in rounds
 * over the items, so the log interleaves streams as a live one does. Returns the item count and
 * how many of Emmett's appends failed and were made again.
 */
export async function growStockHistory(
  strata: EventStore,
  emmett: Peer,
  from: number,
  to: number,
): Promise<{ items: number; emmettRetries: number }> {
  const first = from / EVENTS_PER_STREAM;
  const items = Math.ceil((to - from) / EVENTS_PER_STREAM);
  const tag = newId().slice(-12);
  const appends: Array<{ streamId: string; revision: number; events: NewEvent[] }> = [];
  for (let revision = 0; revision < EVENTS_PER_STREAM; revision += EVENTS_PER_APPEND) {
    for (let item = first; item < first + items; item += 1) {
      const sku = `item-${item}-${tag}`;
      const events = Array.from({ length: EVENTS_PER_APPEND }, (_, k) =>
        stockEvent(sku, revision + k),
      );
      appends.push({ streamId: streamIdOf('stock', sku), revision, events });
    }
  }
  const expected = (revision: number) => (revision === 0 ? 'no_stream' : revision - 1);
  // Rounds stay in order across writers: an item's second append waits for its first.
  for (let round = 0; round < EVENTS_PER_STREAM / EVENTS_PER_APPEND; round += 1) {
    const batch = appends.slice(round * items, (round + 1) * items);
    const per = Math.ceil(batch.length / STRATA_FILL_WRITERS);
    await runInFlight(STRATA_FILL_WRITERS, per, async (writer, i) => {
      const append = batch[writer * per + i];
      if (append) await strata.append(append.streamId, append.events, expected(append.revision));
    });
  }
  let emmettRetries = 0;
  for (const append of appends) {
    // Under load Emmett's COMMIT can fail with SQLITE_BUSY ("SQL statements in progress": its
    // INSERT ... RETURNING not yet finalized); it rolls back, so the same append is made again.
    // The catch-up's count check afterwards says whether both logs hold the same events.
    for (let attempt = 1; ; attempt += 1) {
      try {
        await emmett.append(append.streamId, append.events, expected(append.revision));
        break;
      } catch (error) {
        if (attempt === FILL_ATTEMPTS) throw error;
        emmettRetries += 1;
      }
    }
  }
  return { items, emmettRetries };
}

function stockEvent(sku: string, revision: number): NewEvent {
  return revision % 5 === 4
    ? benchEvent('StockAdjusted', { sku, quantity: -1, reason: 'recount' })
    : benchEvent('StockReceived', { sku, quantity: 5, reference: null });
}
