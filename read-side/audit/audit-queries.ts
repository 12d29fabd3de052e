import type { ListPage } from '../list-page';
import type { Condition, DocumentStore, JsonValue } from '../../shared-kernel/document-store/port';
import { NotFoundError } from '../../shared-kernel/errors';
import {
  AUDIT_COLLECTION,
  auditEntryId,
  type AuditEntry,
} from '../../projections/read-models/audit';
import { aggregates } from '../../write-side/aggregates';

/**
 * Temporal audit queries over the audit trail read model, shared by the HTTP routes and the
 * `strata audit` CLI so both give the same answers. Times are UTC ISO strings (as stored), so
 * range bounds compare as text.
 */
export const AUDIT_TYPES = ['product', 'stock', 'order'] as const;
export type AuditType = (typeof AUDIT_TYPES)[number];

export interface AuditEvent {
  aggregateType: string;
  aggregateId: string;
  version: number;
  type: string;
  /** When it happened, as the command said (a client's or the saga's clock). */
  occurredAt: string;
  /** When the event store recorded it. */
  recordedAt: string;
  actor: string;
  correlationId: string;
  causationId: string | null;
  /** Null for events recorded without tracing (and entries written before it). */
  traceId: string | null;
  position: string;
  data: JsonValue;
}

export interface TimeRange {
  from?: string;
  to?: string;
}

export interface PageRequest {
  cursor?: string;
  limit: number;
}

export function auditEvent(entry: AuditEntry): AuditEvent {
  return {
    aggregateType: entry.aggregateType,
    aggregateId: entry.aggregateId,
    version: entry.version,
    type: entry.eventType,
    occurredAt: entry.occurredAt,
    recordedAt: entry.recordedAt,
    actor: entry.actor,
    correlationId: entry.correlationId,
    causationId: entry.causationId,
    traceId: entry.traceId ?? null,
    position: entry.position,
    data: entry.data,
  };
}

function timeCondition(range: TimeRange): Condition | undefined {
  if (range.from === undefined && range.to === undefined) return undefined;
  return {
    ...(range.from !== undefined && { gte: range.from }),
    ...(range.to !== undefined && { lte: range.to }),
  };
}

export function entryOf(documents: DocumentStore, type: AuditType, id: string, version: number) {
  const streamId = `${aggregates[type].streamPrefix}${id}`;
  return documents.get<AuditEntry>(AUDIT_COLLECTION, auditEntryId(streamId, version));
}

/** The aggregate's events in version order; 404 when it has none at all. */
export async function aggregateHistory(
  documents: DocumentStore,
  type: AuditType,
  id: string,
  request: TimeRange & PageRequest,
): Promise<ListPage<AuditEvent>> {
  const where: Record<string, Condition> = { aggregateType: type, aggregateId: id };
  const time = timeCondition(request);
  if (time !== undefined) where.occurredAt = time;
  const page = await documents.find<AuditEntry>(AUDIT_COLLECTION, {
    where,
    sort: [{ field: 'version', direction: 'asc' }],
    cursor: request.cursor ?? null,
    limit: request.limit,
  });
  if (page.items.length === 0 && !(await entryOf(documents, type, id, 0))) {
    throw new NotFoundError(`${type} ${id} has no recorded history`);
  }
  return { items: page.items.map(auditEvent), nextCursor: page.nextCursor };
}

export interface EventsFilter extends TimeRange, PageRequest {
  actor?: string;
  eventType?: string;
  type?: AuditType;
}

/** Events across aggregates, newest first. */
export async function auditEvents(
  documents: DocumentStore,
  filter: EventsFilter,
): Promise<ListPage<AuditEvent>> {
  const where: Record<string, Condition> = {};
  if (filter.actor !== undefined) where.actor = filter.actor;
  if (filter.eventType !== undefined) where.eventType = filter.eventType;
  if (filter.type !== undefined) where.aggregateType = filter.type;
  const time = timeCondition(filter);
  if (time !== undefined) where.occurredAt = time;
  const page = await documents.find<AuditEntry>(AUDIT_COLLECTION, {
    where,
    sort: [{ field: 'occurredAt', direction: 'desc' }],
    cursor: filter.cursor ?? null,
    limit: filter.limit,
  });
  return { items: page.items.map(auditEvent), nextCursor: page.nextCursor };
}
