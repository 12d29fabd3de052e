import type { NewEvent } from '../../shared-kernel/events/envelope';
import type { EventStore } from '../../shared-kernel/event-store/port';
import { newId } from '../../shared-kernel/ids';
import { aggregates } from '../../write-side/aggregates';
import { runInFlight } from '../support/measure';
import type { Peer } from './peer';

/** Each stock item's history: this many events, appended this many at a time. */
export const EVENTS_PER_STREAM = 20;
const EVENTS_PER_APPEND = 10;
/** Strata's fill runs writers in parallel (its group commit); Emmett's one at a time. */
const STRATA_FILL_WRITERS = 8;

/**
 * Grows the same stock history in both logs (setup, not measured): new stock items of 20 events
 * each (receipts, and every fifth a count adjustment of -1), appended 10 at a time in rounds
 * over the items, so the log interleaves streams as a live one does. Returns the item count.
 */
export async function growStockHistory(
  strata: EventStore,
  emmett: Peer,
  from: number,
  to: number,
): Promise<number> {
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
      appends.push({ streamId: aggregates.stock.streamPrefix + sku, revision, events });
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
  for (const append of appends) {
    await emmett.append(append.streamId, append.events, expected(append.revision));
  }
  return items;
}

function stockEvent(sku: string, revision: number): NewEvent {
  const adjustment = revision % 5 === 4;
  return {
    eventId: newId(),
    type: adjustment ? 'StockAdjusted' : 'StockReceived',
    data: adjustment
      ? { sku, quantity: -1, reason: 'recount' }
      : { sku, quantity: 5, reference: null },
    metadata: {
      correlationId: newId(),
      causationId: null,
      actor: 'bench',
      occurredAt: new Date().toISOString(),
      schemaVersion: 1,
    },
  };
}
