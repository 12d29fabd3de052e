import type { Doc, DocumentWrite } from '../../shared-kernel/document-store/port';
import type { RecordedEvent } from '../../shared-kernel/events/envelope';
import type { DocumentProjection } from './projection';

/** What one event did: the documents it read (before) and the writes it caused. */
export interface TraceEntry {
  event: RecordedEvent;
  before: ReadonlyMap<string, Doc | null>;
  writes: readonly DocumentWrite[];
}

/**
 * A processor is a projection plus, optionally, an effect run on each batch BEFORE its state and
 * checkpoint commit: publish to Kafka, index into the search engine, issue the saga's commands.
 * The effect must tolerate a repeat (at-least-once): a crash between effect and commit replays
 * the batch, and Kafka consumers, external versions and command ids absorb the repeat.
 */
export interface ProcessorSpec {
  projection: DocumentProjection;
  effect?: (trace: readonly TraceEntry[]) => Promise<void>;
  /** True for processors with effects: a rebuild would re-run them, so they are never rebuilt. */
  readonly rebuildable: boolean;
}
