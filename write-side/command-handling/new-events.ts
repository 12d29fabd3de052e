import { SpanKind, type SpanOptions } from '@opentelemetry/api';
import { v5 as uuidv5 } from 'uuid';
import type { DomainEvent, NewEvent } from '../../shared-kernel/events/envelope';
import type { EventUpcasting } from '../../shared-kernel/events/upcasting';
import type { Tracing } from '../../shared-kernel/tracing/tracing';
import type { CommandContext } from './command-request';

/** Fixed namespace for event ids; changing it would make retried commands look new. */
const EVENT_ID_NAMESPACE = 'b3a1e6f4-2d7c-4c1e-9f0a-5e8d7c6b4a21';

/** The same command always yields the same event ids, so the store can spot a retried append. */
export function eventIdFor(commandId: string, index: number): string {
  return uuidv5(`${commandId}:${index}`, EVENT_ID_NAMESPACE);
}

/** Wraps decided events with their ids and the metadata every event carries. */
export function toNewEvents(
  decided: readonly DomainEvent[],
  commandId: string,
  context: CommandContext,
  upcasting: EventUpcasting,
): NewEvent[] {
  return decided.map((event, index) => ({
    eventId: eventIdFor(commandId, index),
    type: event.type,
    data: event.data,
    metadata: {
      correlationId: context.correlationId,
      causationId: context.causationId ?? commandId,
      actor: context.actor,
      occurredAt: context.occurredAt,
      schemaVersion: upcasting.currentVersion(event.type),
    },
  }));
}

/**
 * The events with the active span's trace context in their metadata (taken inside the append
 * span, so the work they cause continues from it); the same events when tracing is off.
 */
export function withTraceContext(events: NewEvent[], tracing: Tracing): NewEvent[] {
  if (!tracing.enabled) return events;
  const traceContext = tracing.currentTraceContext();
  return events.map((event) => ({ ...event, metadata: { ...event.metadata, ...traceContext } }));
}

/**
 * The options of an `append <aggregate>` span: it is the event store's client span (every
 * append goes through the command handler, so the traced store adds none of its own: one span
 * fewer per command); the stream is an attribute, so span names stay few.
 */
export function appendSpanOptions(streamId: string): SpanOptions {
  return {
    kind: SpanKind.CLIENT,
    attributes: { 'strata.stream_id': streamId, 'db.operation.name': 'append' },
  };
}
