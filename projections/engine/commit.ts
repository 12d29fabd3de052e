import { BatchTooLargeError } from '../../shared-kernel/document-store/batch';
import type {
  DocumentStore,
  DocumentWrite,
  LeaseFence,
} from '../../shared-kernel/document-store/port';
import { ConflictError } from '../../shared-kernel/errors';
import type { Position, RecordedEvent } from '../../shared-kernel/events/envelope';
import type { DocumentCache } from './document-cache';
import { foldBatch } from './fold-batch';
import { ignoreProgress, type EffectProgress, type ProcessorSpec } from './processor';

export interface CommitContext {
  spec: ProcessorSpec;
  store: DocumentStore;
  upcast: (event: RecordedEvent) => RecordedEvent;
  /** Set when several workers may run: the processor's lease, held while committing. */
  ownership?: CommitOwnership;
  /** Documents kept across batches by their only writer (a rebuild, or a runner). */
  documents?: DocumentCache;
}

export interface CommitOwnership {
  /** Every commit carries it: the store refuses it once another worker took the lease. */
  fence: LeaseFence;
  /**
   * Throws LeaseLost when the lease may have run out (its last renewal is older than the lease
   * time): checked before an effect, so an owner waking from a pause publishes nothing.
   */
  assertHeld(): void;
  /** Told once the store refused a fenced commit (or assertHeld threw), why: the runner ends. */
  lost(reason: string): void;
}

export interface CommitRequest {
  events: readonly RecordedEvent[];
  /** The checkpoint this batch was read after: the store refuses the commit if it moved. */
  from: Position | null;
  /** The new checkpoint; null leaves it where it is (replaying held events behind it). */
  to: Position | null;
  extraWrites?: readonly DocumentWrite[];
  /**
   * A rebuild target: writes go there. Only rebuildable processors are ever rebuilt, and their
   * effect writes into their own new target (the search index), so it runs here too.
   */
  target?: string;
  /** Passed to the effect, which calls it as it makes progress (the runner's heartbeat). */
  onProgress?: EffectProgress;
}

/**
 * Commits the events; when the store cannot take their writes in one transaction (MongoDB's
 * size bounds), in halves, each all or nothing with its own checkpoint, so no part is ever
 * half-written and a crash between two parts resumes after the first.
 */
export async function commitEvents(context: CommitContext, request: CommitRequest): Promise<void> {
  try {
    await commitOnce(context, request);
  } catch (error) {
    if (!(error instanceof BatchTooLargeError) || request.events.length < 2) throw error;
    const half = Math.ceil(request.events.length / 2);
    const first = request.events.slice(0, half);
    const middle = request.to === null ? null : (first[first.length - 1] as RecordedEvent).position;
    await commitEvents(context, { ...request, events: first, to: middle, extraWrites: [] });
    const from = middle ?? request.from;
    await commitEvents(context, { ...request, events: request.events.slice(half), from });
  }
}

/**
 * One batch, all or nothing: fold the events, run the processor's effect, then commit the
 * documents with the checkpoint in one transaction. A crash before the commit replays the batch;
 * the effect is idempotent, and the documents were never half-written.
 */
async function commitOnce(context: CommitContext, request: CommitRequest): Promise<void> {
  const { spec, store } = context;
  const events = request.events.map(context.upcast);
  const applied = await foldBatch(spec.projection, store, events, {
    traced: spec.effect !== undefined,
    cache: context.documents,
    ...(request.target ? { target: request.target } : {}),
  });
  if (spec.effect && applied.trace.length > 0) {
    context.ownership?.assertHeld();
    await spec.effect(applied.trace, request.onProgress ?? ignoreProgress);
  }
  const writes = [...applied.writes, ...(request.extraWrites ?? [])];
  await store.commitBatch({
    writes,
    ...(request.to === null
      ? {}
      : {
          checkpoint: { processor: spec.projection.name, position: request.to },
          expectedCheckpoint: request.from,
        }),
    ...(request.target ? { target: request.target } : {}),
    ...(context.ownership ? { fence: context.ownership.fence } : {}),
  });
  context.documents?.remember(writes);
}

/** The store refused the commit's fence: another worker took the processor's lease. */
export function isLeaseLost(error: unknown): boolean {
  return error instanceof ConflictError && error.rule === 'lease-lost';
}

/** The store refused the checkpoint: another writer (a rebuild's swap) moved it. */
export function isCheckpointConflict(error: unknown): boolean {
  return (
    error instanceof ConflictError &&
    (error.rule === 'checkpoint-not-advancing' || error.rule === 'checkpoint-moved')
  );
}
