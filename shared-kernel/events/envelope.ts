/**
 * The event envelope. Domain code produces `DomainEvent`s (type + data); the command handler
 * wraps them into `NewEvent`s with an id and metadata; the store returns `RecordedEvent`s with
 * where and when they were stored.
 */
export interface EventMetadata {
  correlationId: string;
  /** The id of the command or event that caused this one; null for a direct user request. */
  causationId: string | null;
  /** Who did it: a token subject, `X-Actor`, or a process name such as `saga:fulfillment`. */
  actor: string;
  /** ISO 8601 time the change happened in the domain (arrives with the command). */
  occurredAt: string;
  /** Version of this event type's data shape, for upcasting old events on read. */
  schemaVersion: number;
  /**
   * W3C trace context of the span the event was appended in (absent with tracing off, and on
   * events recorded before it): work the event causes later joins or links to that trace.
   */
  traceparent?: string;
  tracestate?: string;
}

export interface DomainEvent<T extends string = string, D = unknown> {
  type: T;
  data: D;
}

export interface NewEvent<T extends string = string, D = unknown> extends DomainEvent<T, D> {
  /** UUID; a retried append with the same ids is recognised and not stored twice. */
  eventId: string;
  metadata: EventMetadata;
}

export interface RecordedEvent<T extends string = string, D = unknown> extends NewEvent<T, D> {
  streamId: string;
  /** 0-based index of the event within its stream. */
  revision: number;
  /** Opaque, comparable place in the global log (`$all`); see `comparePositions`. */
  position: Position;
  /** ISO 8601 time the store recorded it. */
  recordedAt: string;
}

/**
 * An opaque place in `$all`. Every adapter encodes positions as fixed-width lowercase hex so
 * that plain string comparison orders them; callers only compare, store and pass them back.
 */
export type Position = string;

export function comparePositions(a: Position, b: Position): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** True when `position` is at or after `target` (a null target is always reached). */
export function hasReached(position: Position | null, target: Position | null): boolean {
  if (target === null) return true;
  if (position === null) return false;
  return position >= target;
}
