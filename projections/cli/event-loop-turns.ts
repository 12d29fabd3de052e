import { setImmediate as nextTurn } from 'node:timers/promises';
import type { DocumentStore } from '../../shared-kernel/document-store/port';

/**
 * The same store, but each batch commit first lets the event loop turn. The embedded stores
 * answer synchronously, so a rebuild over them is one long chain of microtasks in which a
 * SIGINT is never delivered: Ctrl-C would only be seen once the rebuild had finished. One turn
 * per batch (not per event) costs nothing measurable.
 */
export function withEventLoopTurns(store: DocumentStore): DocumentStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'commitBatch') {
        return async (batch: Parameters<DocumentStore['commitBatch']>[0]) => {
          await nextTurn();
          return target.commitBatch(batch);
        };
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function'
        ? (value as (...a: unknown[]) => unknown).bind(target)
        : value;
    },
  });
}
