import type { DocumentStore } from '../../../shared-kernel/document-store/port';
import type { Position, RecordedEvent } from '../../../shared-kernel/events/envelope';
import { commitEvents, isCheckpointConflict } from '../../../projections/engine/commit';
import type { DocumentProjection } from '../../../projections/engine/projection';

/**
 * Feeds a projection through the engine's own commit path (fold, then documents and
 * checkpoint in one transaction) the way a misbehaving transport would: events of different
 * streams swapped inside each batch (a stream's own order is the one thing the log promises, so
 * it is kept), and some batches delivered again.
 */
export interface ChaosOptions {
  batchSize: number;
  /** Share of batches delivered a second time (0.1: 10%). */
  replayRate: number;
  /**
   * `guarded`: the duplicate carries the checkpoint it was read after, so the store must refuse
   * it. `unguarded`: it carries none (as held events re-applied by a dead-letter retry do), so
   * the read models' own replay safety is all that stands between it and a double count; it
   * repeats either the batch just committed or one up to `lookBack` batches older.
   */
  replay: 'guarded' | 'unguarded';
  lookBack: number;
  random: () => number;
  upcast: (event: RecordedEvent) => RecordedEvent;
}

export interface ChaosFigures {
  batches: number;
  /** Batches whose delivered order differs from the log's. */
  reordered: number;
  replayed: number;
  /** Guarded replays the store refused (checkpoint not advancing / moved). */
  refused: number;
}

/** A random interleaving of the batch's streams, each stream's events still in log order. */
export function swapAcrossStreams(batch: readonly RecordedEvent[], random: () => number) {
  const queues = new Map<string, RecordedEvent[]>();
  for (const event of batch) {
    const queue = queues.get(event.streamId) ?? [];
    queue.push(event);
    queues.set(event.streamId, queue);
  }
  const open = [...queues.values()];
  const out: RecordedEvent[] = [];
  while (open.length > 0) {
    const index = Math.floor(random() * open.length);
    const queue = open[index]!;
    out.push(queue.shift()!);
    if (queue.length === 0) open.splice(index, 1);
  }
  return out;
}

export async function deliverChaotically(
  projection: DocumentProjection,
  store: DocumentStore,
  log: readonly RecordedEvent[],
  options: ChaosOptions,
): Promise<ChaosFigures> {
  const context = { spec: { projection, rebuildable: true }, store, upcast: options.upcast };
  const figures: ChaosFigures = { batches: 0, reordered: 0, replayed: 0, refused: 0 };
  const delivered: RecordedEvent[][] = [];
  let checkpoint: Position | null = null;
  for (let start = 0; start < log.length; start += options.batchSize) {
    const batch = log.slice(start, start + options.batchSize);
    const last = batch[batch.length - 1]!.position;
    const swapped = swapAcrossStreams(batch, options.random);
    if (swapped.some((event, i) => event !== batch[i])) figures.reordered += 1;
    const relevant = swapped.filter((e) => projection.handles.has(e.type));
    await commitEvents(context, { events: relevant, from: checkpoint, to: last });
    const readAfter = checkpoint;
    checkpoint = last;
    figures.batches += 1;
    delivered.push(relevant);
    if (options.random() >= options.replayRate) continue;
    figures.replayed += 1;
    if (options.replay === 'guarded') {
      try {
        await commitEvents(context, { events: relevant, from: readAfter, to: last });
      } catch (error) {
        if (!isCheckpointConflict(error)) throw error;
        figures.refused += 1;
      }
      continue;
    }
    const back = Math.floor(options.random() * Math.min(options.lookBack, delivered.length));
    const again = swapAcrossStreams(delivered[delivered.length - 1 - back]!, options.random);
    await commitEvents(context, { events: again, from: null, to: null });
  }
  return figures;
}
