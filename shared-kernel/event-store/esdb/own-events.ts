import type { RecordedEvent as EsdbRecordedEvent } from '@eventstore/db-client';
import type { RecordedEvent } from '../../events/envelope';
import type { Logger } from '../../logging/logger';
import { isSystemEvent, toRecordedEvent } from './event-mapping';

/** An event in `$all` that is not Strata's, skipped: what the metric and the log line say. */
export interface ForeignEventReport {
  streamId: string;
  eventId: string;
  type: string;
  reason: string;
}

/** Which events of `$all` are Strata's, and who hears of the others. */
export interface OwnEvents {
  /** Strata's aggregate stream prefixes; empty: every stream that is not the server's. */
  streamPrefixes: readonly string[];
  logger: Logger;
  onForeignEvent?: (report: ForeignEventReport) => void;
}

/**
 * Another application, or a server-side projection's `emit`, may write to the same database.
 * Such events never stop a reader: a stream outside Strata's prefixes is passed over in
 * silence (the subscription filters those on the server), and an event in one of Strata's
 * streams that does not decode as Strata's is skipped, logged and reported.
 */
export function ownEvent(own: OwnEvents, event: EsdbRecordedEvent): RecordedEvent | null {
  if (isSystemEvent(event)) return null;
  const { streamPrefixes } = own;
  if (streamPrefixes.length > 0 && !streamPrefixes.some((p) => event.streamId.startsWith(p))) {
    return null;
  }
  try {
    return toRecordedEvent(event);
  } catch (error) {
    const report = {
      streamId: event.streamId,
      eventId: event.id,
      type: event.type,
      reason: error instanceof Error ? error.message : String(error),
    };
    own.logger.warn("event store: skipped an event that is not Strata's", report);
    own.onForeignEvent?.(report);
    return null;
  }
}
