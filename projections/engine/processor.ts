import type { Doc, DocumentWrite } from '../../shared-kernel/document-store/port';
import type { RecordedEvent } from '../../shared-kernel/events/envelope';
import type { Partition } from './partitions';
import type { DocumentProjection } from './projection';

/** What one event did: the documents it read (before) and the writes it caused. */
export interface TraceEntry {
  event: RecordedEvent;
  before: ReadonlyMap<string, Doc | null>;
  writes: readonly DocumentWrite[];
}

/**
 * Called by an effect each time it gets a step further (a command done, a chunk delivered): the
 * runner's heartbeat during a long batch. An effect waiting on a call that never returns does
 * not call it, so a hung processor still shows as hung.
 */
export type EffectProgress = () => void;

/** For callers that do not watch an effect's progress (a reset, a replay in a spec). */
export const ignoreProgress: EffectProgress = () => {};

/**
 * A processor is a projection plus, optionally, an effect run on each batch BEFORE its state and
 * checkpoint commit: publish to Kafka, index into the search engine, issue the saga's commands.
 * The effect must tolerate a repeat (at-least-once): a crash between effect and commit replays
 * the batch, and Kafka consumers, external versions and command ids absorb the repeat.
 */
export interface ProcessorSpec {
  projection: DocumentProjection;
  effect?: (trace: readonly TraceEntry[], progress: EffectProgress) => Promise<void>;
  /** True for processors with effects: a rebuild would re-run them, so they are never rebuilt. */
  readonly rebuildable: boolean;
  /** Set on one partition of a partitioned processor: it folds only its streams (partitions.ts). */
  readonly partition?: Partition;
}
