import type { Position } from '../events/envelope';
import type { Lease, LeaseFence, LeaseRequest } from './lease';

export type { Lease, LeaseFence, LeaseRequest } from './lease';

/**
 * The DocumentStore port: where projections keep read models and the query API reads them.
 * Two users shape it: the projection engine (load the current documents of a batch, then commit
 * the batch's writes with its checkpoint in one transaction) and the query API (typed queries on
 * declared indexes, cheap checkpoint reads for read-your-writes).
 */

/** Values a query may compare with. Anything else (objects, arrays) is a ValidationError. */
export type Scalar = string | number | boolean | null;

export type JsonValue = Scalar | JsonValue[] | { [key: string]: JsonValue };
export type Doc = { [key: string]: JsonValue };

export type Direction = 'asc' | 'desc';

export interface IndexField {
  /** Dotted path into the document, e.g. `price.amount`. */
  field: string;
  direction: Direction;
}

export interface IndexDeclaration {
  name: string;
  fields: IndexField[];
}

/** Declared by each read model; only fields that appear in an index can be queried or sorted. */
export interface CollectionDeclaration {
  name: string;
  indexes: IndexDeclaration[];
}

/** Upsert `doc` under `id`, or delete the document when `doc` is null. */
export interface DocumentWrite {
  collection: string;
  id: string;
  doc: Doc | null;
}

export interface Checkpoint {
  processor: string;
  position: Position;
}

export interface Batch {
  writes: DocumentWrite[];
  /**
   * Committed with the writes or not at all. It must be after the stored one: a batch that was
   * already applied (a retry after an unknown commit outcome, a second worker) is refused with
   * ConflictError `checkpoint-not-advancing` instead of being applied twice.
   */
  checkpoint?: Checkpoint;
  /**
   * Compare-and-set: the checkpoint the writer read before this batch (null: none). When given,
   * the stored one must still be it, else ConflictError `checkpoint-moved` and nothing is
   * written. A rebuild's swap or a rollback moves a checkpoint under a running processor; this
   * is how the processor finds out instead of writing its batch into the wrong place.
   */
  expectedCheckpoint?: Position | null;
  /**
   * A target being rebuilt (from `createTarget`): the writes go to it instead of the live one,
   * and the checkpoint is kept with it until `swap` makes it the live checkpoint.
   */
  target?: string;
  /**
   * The lease the writer holds: the batch commits only while the lease still has this token
   * (ConflictError `lease-lost` otherwise, nothing written), checked in the same transaction.
   */
  fence?: LeaseFence;
}

/** A condition on one field: a scalar means equality. */
export type Condition =
  | Scalar
  | {
      eq?: Scalar;
      gt?: string | number;
      gte?: string | number;
      lt?: string | number;
      lte?: string | number;
      in?: Array<string | number | boolean>;
    };

export interface Query {
  /** Field path (or `id`, the document key) -> condition; all must hold. */
  where?: Record<string, Condition>;
  /** Declared fields; ties are broken by `id` so pagination is total. Default: by `id`. */
  sort?: IndexField[];
  /** `nextCursor` of the previous page, for the same where and sort. */
  cursor?: string | null;
  /** 1 to MAX_QUERY_LIMIT. */
  limit: number;
}

export const MAX_QUERY_LIMIT = 1000;

export interface Page<T extends Doc = Doc> {
  items: T[];
  /** Null when this page is the last. */
  nextCursor: string | null;
}

export interface ReadOptions {
  /** Read a target being rebuilt instead of the live one. */
  target?: string;
}

export interface TargetInfo {
  collection: string;
  live: string;
  /** The target that was live before the last swap, kept for rollback. */
  previous: string | null;
}

export interface DocumentStore {
  /** Creates the collection's first target and its indexes, or brings the live target's indexes in line. */
  ensureCollection(declaration: CollectionDeclaration): Promise<void>;
  /** Writes and checkpoint in one transaction; nothing is written when anything fails. */
  commitBatch(batch: Batch): Promise<void>;
  get<T extends Doc = Doc>(
    collection: string,
    id: string,
    options?: ReadOptions,
  ): Promise<T | null>;
  /** The documents that exist among `ids`, keyed by id, loaded in as few queries as possible. */
  getMany<T extends Doc = Doc>(
    collection: string,
    ids: readonly string[],
    options?: ReadOptions,
  ): Promise<Map<string, T>>;
  find<T extends Doc = Doc>(collection: string, query: Query): Promise<Page<T>>;
  count(collection: string, where?: Query['where']): Promise<number>;
  /** The live checkpoint, or the one kept with a target being rebuilt. */
  getCheckpoint(processor: string, options?: ReadOptions): Promise<Position | null>;
  /** Every live checkpoint, ordered by processor. */
  getCheckpoints(): Promise<Checkpoint[]>;

  /** A new, empty physical target (`products__v3`) with the declaration's indexes (default: the live one's). */
  createTarget(collection: string, declaration?: CollectionDeclaration): Promise<string>;
  /**
   * Atomically makes `target` live. The checkpoints kept with it become the live ones; the live
   * ones they replace are kept with the outgoing target, which stays for `rollback`.
   */
  swap(collection: string, target: string): Promise<void>;
  /** Swaps back to the previous target. ConflictError `no-previous-target` when there is none. */
  rollback(collection: string): Promise<void>;
  /** Drops a target that is not live. ConflictError `target-is-live` otherwise. */
  dropTarget(target: string): Promise<void>;
  targets(collection: string): Promise<TargetInfo>;
  /** Every target of the collection that exists (live, previous, others), oldest first. */
  listTargets(collection: string): Promise<string[]>;

  /**
   * Takes the lease, or renews it for its owner: null while another owner holds it unexpired.
   * A new owner gets the token plus one; a renewal keeps it. Atomic among all callers.
   */
  acquireLease(request: LeaseRequest): Promise<Lease | null>;
  /** Gives the lease up at once (expired, no owner), if `owner` still holds it. */
  releaseLease(name: string, owner: string): Promise<void>;
  /** Every lease, expired ones too, ordered by name. */
  leases(): Promise<Lease[]>;
  /**
   * Deletes the lease if it expired more than `expiredForMs` ago (0: released or expired at
   * all). For leases whose token nobody fences with (a worker's membership): a deleted lease
   * starts again at token 1.
   */
  dropLease(name: string, expiredForMs: number): Promise<void>;

  ping(): Promise<void>;
  close(): Promise<void>;
}
