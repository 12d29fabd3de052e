import type { NewEvent, Position, RecordedEvent } from '../events/envelope';
import type { StreamRange } from './stream-hash';

/**
 * What an append expects of the stream: anything, that it does not exist yet, that it exists,
 * or that its last event is at exactly this revision (0-based).
 */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | number;

export interface AppendResult {
  streamId: string;
  /** Revision of the last event appended (the stream's new revision). */
  streamRevision: number;
  /** Position in `$all` of the last event appended. */
  position: Position;
}

export interface ReadStreamOptions {
  direction?: 'forwards' | 'backwards';
  /** Start at this revision (inclusive); for backwards reads, the highest revision to return. */
  fromRevision?: number;
  maxCount?: number;
  /** Only events recorded at or before this time: the stream as it was then. */
  until?: Date;
}

export interface ReadAllOptions {
  /** Exclusive: read events after this position; omitted or null reads from the start. */
  after?: Position | null;
  maxCount?: number;
  /**
   * Only events of these types, skipped by the store before it decodes them (a rebuild reads
   * the types its projection handles). A hint: a store that cannot filter yields every event,
   * so a caller still checks the type. `maxCount` counts the events yielded.
   */
  types?: ReadonlySet<string>;
}

export type SubscriptionMessage =
  | { kind: 'event'; event: RecordedEvent }
  /** Sent once the subscription has delivered everything stored when it got there, then live. */
  | { kind: 'caught-up'; position: Position | null };

export interface AllSubscription extends AsyncIterable<SubscriptionMessage> {
  /** Stops delivery; the iterator ends. */
  close(): Promise<void>;
}

export interface SubscribeToAllOptions {
  /** Exclusive start position; null or omitted subscribes from the start of `$all`. */
  after?: Position | null;
  /**
   * The events the subscriber folds. The others still arrive (their positions move its
   * checkpoint) but may come undecoded, `data` null and `metadata` empty: decoding is most of
   * what reading an event costs, and a processor folds a few types of a few streams (a
   * partition) out of the whole log. A hint: a store that cannot skip decoding yields every
   * event whole, so a subscriber still checks.
   */
  decodes?: (type: string, streamId: string) => boolean;
  /**
   * Only events of these types, and enough of the others for the subscriber's checkpoint to
   * keep up with the log (SQLite: the last event of every page it scans). A hint, as for
   * `readAll`: a store may yield every event.
   */
  types?: ReadonlySet<string>;
  /**
   * Only events of streams in this hash range (stream-hash.ts), and enough of the others for
   * the checkpoint to keep up, as with `types`. A hint: a store may yield every event.
   */
  partition?: StreamRange;
}

/**
 * An aggregate's folded state as of one revision, kept beside its stream, never in it: no
 * snapshot is ever an event of `readStream`, `readAll` or a subscription.
 */
export interface Snapshot {
  /** Revision of the last event folded into `state`. */
  revision: number;
  /** `$all` position of that event (what a command answers when nothing follows it). */
  position: Position;
  /** Which `evolve` and event schemas made `state`; a reader asks for its own version only. */
  version: string;
  /** JSON data. */
  state: unknown;
}

export interface EventStore {
  /**
   * Appends atomically: all events or none. Throws `ConcurrencyError` when the stream is not
   * where `expected` says. Retrying an append whose event ids are already stored at those
   * revisions returns the original result and stores nothing.
   */
  append(streamId: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult>;
  /** Reads one stream; an unknown stream yields nothing. */
  readStream(streamId: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent>;
  /** Reads `$all` in its total order, streaming (never loads the whole log). */
  readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent>;
  /** Position of the newest event in `$all`, or null when the log is empty. */
  headPosition(): Promise<Position | null>;
  /** Catch-up subscription: stored events after `after`, then `caught-up`, then live ones. */
  subscribeToAll(options?: SubscribeToAllOptions): AllSubscription;
  /**
   * How many events lie after `after` up to and including `upTo`, when the store can tell
   * cheaply (its positions are dense); projections report it as their lag in events.
   */
  eventsBetween?(after: Position | null, upTo: Position | null): number | null;
  /** The stream's stored snapshot when it was made by `version`, else null. */
  readSnapshot(streamId: string, version: string): Promise<Snapshot | null>;
  /**
   * Stores the stream's snapshot in place of the one before (one per stream). A snapshot of the
   * same version at an older revision than the stored one may be ignored. Resolves with the
   * length of the state's JSON, by which callers space a big state's snapshots further apart.
   */
  writeSnapshot(streamId: string, snapshot: Snapshot): Promise<number>;
  /** True when the store answers (for `/readyz`). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Stream ids: printable, no leading `$` (reserved for system streams), at most 255 chars. */
const STREAM_ID = /^[A-Za-z0-9][A-Za-z0-9._:@+=-]{0,254}$/;

export function isValidStreamId(streamId: unknown): streamId is string {
  return typeof streamId === 'string' && STREAM_ID.test(streamId);
}
