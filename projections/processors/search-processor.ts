import type { Doc } from '../../shared-kernel/document-store/port';
import type {
  IndexOperation,
  SearchDocument,
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
  /** Null: the document is not searchable (yet): it is removed from the index. */
  toSearchDocument: (doc: Doc) => SearchDocument | null;
}

/**
 * Keeps a search index in step with a document projection. The folded documents commit with the
 * checkpoint AFTER the bulk succeeded; each operation carries the event's position as its
 * version, so a replayed batch never moves a document back to an older state.
 */
export function searchProcessor(options: SearchProcessorOptions): ProcessorSpec {
  const { projection, index, writeTo, toSearchDocument } = options;
  return {
    rebuildable: true,
    projection,
    async effect(trace) {
      const latest = new Map<string, IndexOperation>();
      for (const { event, writes } of trace) {
        for (const write of writes) {
          const doc = write.doc === null ? null : toSearchDocument(write.doc);
          const version = event.position;
          const operation: IndexOperation =
            doc === null
              ? { op: 'delete', id: write.id, version }
              : { op: 'upsert', id: write.id, version, doc };
          latest.delete(write.id);
          latest.set(write.id, operation);
        }
      }
      if (latest.size > 0) await index.bulk(writeTo, [...latest.values()]);
    },
  };
}
