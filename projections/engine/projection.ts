import type {
  CollectionDeclaration,
  Doc,
  DocumentWrite,
} from '../../shared-kernel/document-store/port';
import type { RecordedEvent } from '../../shared-kernel/events/envelope';

/**
 * A document projection, as the engine runs it. Most read models are the simple case, one
 * document per event folded with `evolve(doc, event)`, and are written with `evolveProjection`.
 * The general form exists for read models whose next document depends on another one of their
 * own (the audit trail folds entry n from entry n - 1): they name what they read, the engine
 * loads it (from earlier in the batch or the store, in one query per batch), and they return
 * the writes. Projections are pure: no I/O, no clock.
 */
export interface DocKey {
  collection: string;
  id: string;
}

export interface DocumentProjection {
  /** Processor name: the checkpoint, status and dead letters are kept under it. */
  readonly name: string;
  /** The collections it owns; rebuilt together. */
  readonly collections: readonly CollectionDeclaration[];
  /** Event types it handles; others only move its checkpoint. */
  readonly handles: ReadonlySet<string>;
  /** Documents (of its own collections) it needs to see to apply this event. */
  reads(event: RecordedEvent): DocKey[];
  /**
   * Documents it needs only once it has seen those `reads` named. The audit trail asks for the
   * entries back to its last state checkpoint when the state after the previous entry is not at
   * hand (after a restart, or when that entry was read afresh). The engine loads them before
   * `apply`, in one query per event that asks.
   */
  readsAfter?(event: RecordedEvent, docs: ReadonlyMap<string, Doc | null>): DocKey[];
  /** The writes this event causes, given the documents it asked for (null: absent). */
  apply(event: RecordedEvent, docs: ReadonlyMap<string, Doc | null>): DocumentWrite[];
}

/** Map key of a document in `docs`. */
export function docKey(collection: string, id: string): string {
  return `${collection}/${id}`;
}

export interface EvolveProjection<D extends Doc> {
  name: string;
  collection: CollectionDeclaration;
  handles: readonly string[];
  /** Ids of the documents the event changes (several when, say, an order touches products). */
  documentIds(event: RecordedEvent): string[];
  /** The document after the event: null deletes it (or leaves it absent). */
  evolve(doc: D | null, event: RecordedEvent, id: string): D | null;
}

/** The common case: `evolve(doc, event)` per document the event touches. */
export function evolveProjection<D extends Doc>(spec: EvolveProjection<D>): DocumentProjection {
  const collection = spec.collection.name;
  return {
    name: spec.name,
    collections: [spec.collection],
    handles: new Set(spec.handles),
    reads: (event) => spec.documentIds(event).map((id) => ({ collection, id })),
    apply(event, docs) {
      return spec.documentIds(event).map((id) => ({
        collection,
        id,
        doc: spec.evolve((docs.get(docKey(collection, id)) as D | undefined) ?? null, event, id),
      }));
    },
  };
}
