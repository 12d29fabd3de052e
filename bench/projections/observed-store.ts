import type { Batch, DocumentStore } from '../../shared-kernel/document-store/port';

/**
 * The real document store, with a callback after each committed batch: how the benchmark counts
 * the documents a read model writes and sees, to the millisecond, when a checkpoint moved.
 * Everything else passes straight through to the store.
 */
export function observedStore(
  store: DocumentStore,
  afterCommit: (batch: Batch) => void,
): DocumentStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'commitBatch') {
        return async (batch: Batch) => {
          await target.commitBatch(batch);
          afterCommit(batch);
        };
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
