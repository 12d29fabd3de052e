import type { DocumentWrite } from '../../shared-kernel/document-store/port';
import type {
  DocumentVersion,
  IndexOperation,
  SearchIndex,
} from '../../shared-kernel/search-index/port';
import type { ProcessorSpec } from '../engine/processor';
import type { DocumentProjection } from '../engine/projection';

export interface SearchProcessorOptions {
  /** Folds the documents to index; its collection is the processor's own state. */
  projection: DocumentProjection;
  index: SearchIndex;
  /** The index's alias when live, or a new target during a rebuild. */
  writeTo: string;
  /** The index operation for one write of the state, at the version of its event. */
  toOperation: (write: DocumentWrite, version: DocumentVersion) => IndexOperation;
}

/**
 * Keeps a search index in step with a document projection. The folded documents commit with the
 * checkpoint AFTER the bulk succeeded; each operation carries the event's position as its
 * version, so a replayed batch never moves a document back to an older state.
 */
export function searchProcessor(options: SearchProcessorOptions): ProcessorSpec {
  const { projection, index, writeTo, toOperation } = options;
  return {
    rebuildable: true,
    projection,
    async effect(trace) {
      const latest = new Map<string, IndexOperation>();
      for (const { event, writes } of trace) {
        for (const write of writes) {
          latest.delete(write.id);
          latest.set(write.id, toOperation(write, event.position));
        }
      }
      if (latest.size > 0) await index.bulk(writeTo, [...latest.values()]);
    },
  };
}

/**
 * A new installation has no index yet: make the first target live so the processor can write.
 * Workers starting together converge on the oldest target (the first made), so none of them
 * goes on writing into a target another one is about to swap away from.
 */
export async function ensureLiveSearchTarget(index: SearchIndex, indexName: string): Promise<void> {
  const state = await index.aliasState(indexName);
  if (state.live !== null) return;
  const made = state.targets[0] ?? (await index.createTarget(indexName));
  const now = await index.aliasState(indexName);
  if (now.live === null) await index.swapAlias(indexName, now.targets[0] ?? made);
}
