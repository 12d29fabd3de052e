/**
 * The SearchIndex port: full-text search over read-model documents, written by projections and
 * read by the query API. It is schema-driven: an `IndexDeclaration` names the text fields (with
 * boosts) and the typed fields usable for filters, sorts and facets, so the same port serves the
 * product search and any later index (an audit index, for example).
 *
 * Every write carries a version (the event's position in `$all`) and is ignored when the stored
 * version is already at or past it, so replays and redeliveries never move a document backwards.
 * Deletes leave a tombstone holding their version, so a late older upsert cannot resurrect.
 *
 * An index is served through an alias: a rebuild writes into a fresh target, then swaps the
 * alias atomically; the previous target is kept for `rollback` until it is dropped.
 */

/** `keyword`: exact string; `number`: double; `boolean`; `date`: ISO 8601 text or epoch ms. */
export type FieldType = 'keyword' | 'number' | 'boolean' | 'date';

export interface TextField {
  name: string;
  /** Relative weight of a match in this field: name^3 + description^1 is `3` and `1`. */
  boost: number;
}

export interface TypedField {
  name: string;
  type: FieldType;
  /** A sortable field must be present in every document (not null): sorts never meet gaps. */
  sortable?: boolean;
}

export interface IndexDeclaration {
  /** Lowercase, `[a-z][a-z0-9_]*`: it names the alias, and targets are derived from it. */
  name: string;
  text: readonly TextField[];
  fields: readonly TypedField[];
}

/**
 * The event's position: lowercase hex, compared as a number. See version.ts for how SQLite
 * (16 digits) and EventStoreDB (32 digits, commit:prepare) positions map to the signed 64-bit
 * number that Elasticsearch accepts as an external version.
 */
export type DocumentVersion = string;

/** A document as the read model writes it; declared fields are read from its top level. */
export type SearchDocument = Readonly<Record<string, unknown>>;

export type IndexOperation =
  | { op: 'upsert'; id: string; version: DocumentVersion; doc: SearchDocument }
  | { op: 'delete'; id: string; version: DocumentVersion };

export interface BulkResult {
  /** Operations that changed the index. */
  applied: number;
  /** Operations ignored because the stored version was already at or past theirs. */
  ignored: number;
}

export type FilterValue = string | number | boolean;

export type SearchFilter =
  | { kind: 'term'; field: string; value: FilterValue }
  /** Bounds are inclusive (`gte`/`lte`) or exclusive (`gt`/`lt`); dates as ISO text or ms. */
  | {
      kind: 'range';
      field: string;
      gte?: number | string;
      gt?: number | string;
      lte?: number | string;
      lt?: number | string;
    };

/** Ties are always broken by document id, ascending, so pages are stable. */
export type SearchSort =
  { kind: 'relevance' } | { kind: 'field'; field: string; order: 'asc' | 'desc' };

export interface RangeBucketSpec {
  /** Inclusive lower bound; omitted means unbounded. */
  from?: number;
  /** Exclusive upper bound; omitted means unbounded. */
  to?: number;
}

export type FacetRequest =
  | { kind: 'terms'; field: string; size?: number }
  | { kind: 'range'; field: string; ranges: readonly RangeBucketSpec[] };

export interface SearchQuery {
  /** Plain text, never a query language: every character is just text. Blank matches all. */
  q?: string;
  filters?: readonly SearchFilter[];
  /** Defaults to relevance (document id order when there is no text). */
  sort?: SearchSort;
  facets?: readonly FacetRequest[];
  /** Opaque, from a previous page's `nextCursor` of the same query. */
  cursor?: string;
  /** 1 to 1000; defaults to 20. */
  limit?: number;
}

export interface SearchHit {
  id: string;
  doc: SearchDocument;
  /** Relevance, higher is better; null when the query has no text. */
  score: number | null;
}

export type FacetBucket =
  { value: string; count: number } | { from: number | null; to: number | null; count: number };

export interface SearchPage {
  hits: SearchHit[];
  /** Every document matching text and filters, not just this page. */
  total: number;
  /** Keyed by field; terms by count descending then value; ranges in the order requested. */
  facets: Record<string, FacetBucket[]>;
  nextCursor: string | null;
}

export interface AliasState {
  live: string | null;
  previous: string | null;
  /** Every target of this index that exists, oldest first. */
  targets: string[];
}

export interface SearchIndex {
  /** Makes a new empty target for a declared index and returns its name. */
  createTarget(indexName: string): Promise<string>;
  /** Points the alias at `target` in one atomic step; the old live target becomes `previous`. */
  swapAlias(indexName: string, target: string): Promise<void>;
  /** Points the alias back at the previous target (which becomes `previous` in turn). */
  rollback(indexName: string): Promise<string>;
  /** Removes a target; refuses the live one with a ConflictError. */
  dropTarget(target: string): Promise<void>;
  aliasState(indexName: string): Promise<AliasState>;
  /** Applies ops in order; `target` is a target name or an index name (its live target). */
  bulk(target: string, ops: readonly IndexOperation[]): Promise<BulkResult>;
  /** Searches the live target of an index. */
  search(indexName: string, query: SearchQuery): Promise<SearchPage>;
  /**
   * Makes every write acknowledged before the call visible to searches of the index. Writes
   * do not wait for visibility (that would cap live indexing near one batch per refresh); a
   * reader that needs a position visible asks here (read-side/consistency/search-visibility.ts).
   */
  refresh(indexName: string): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
