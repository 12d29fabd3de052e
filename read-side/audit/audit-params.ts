import type { Request } from 'express';
import { ValidationError } from '../../shared-kernel/errors';
import { isoTimeToUtc } from '../http/param-rules';
import { pathParam } from '../../shared-kernel/http/path-params';
import { pageSize, requireOrdered } from '../http/query-params';
import type { StateAt } from './aggregate-state';
import type { EventsFilter, TimeRange } from './audit-queries';
import { AUDIT_TYPES, type AuditType } from './audit-queries';
import type { DiffQuery, EventsQuery, HistoryQuery, StateQuery } from './dtos';

export interface AggregateRef {
  type: AuditType;
  id: string;
}

/** `:type` and `:id` of an audit path: a product or order id is a UUID, a stock id a SKU. */
export function aggregateRef(request: Request): AggregateRef {
  const type = request.params.type;
  if (!(AUDIT_TYPES as readonly unknown[]).includes(type)) {
    throw new ValidationError([
      { field: 'type', message: `must be one of ${AUDIT_TYPES.join(', ')}` },
    ]);
  }
  const id = pathParam(request, 'id', type === 'stock' ? 'sku' : 'uuid');
  return { type: type as AuditType, id };
}

/** Checked ISO bounds as UTC ISO text, the form times are stored in. */
function timeRange(query: { from?: string; to?: string }): TimeRange {
  const from = query.from === undefined ? undefined : (isoTimeToUtc(query.from) ?? undefined);
  const to = query.to === undefined ? undefined : (isoTimeToUtc(query.to) ?? undefined);
  requireOrdered({ name: 'from', value: from }, { name: 'to', value: to });
  return { ...(from !== undefined && { from }), ...(to !== undefined && { to }) };
}

export function historyParams(request: Request, query: HistoryQuery) {
  return {
    ref: aggregateRef(request),
    range: {
      ...timeRange(query),
      ...(query.cursor !== undefined && { cursor: query.cursor }),
      limit: pageSize(query.limit),
    },
  };
}

export function stateParams(
  request: Request,
  query: StateQuery,
): { ref: AggregateRef; at: StateAt } {
  const ref = aggregateRef(request);
  if ((query.asOf === undefined) === (query.version === undefined)) {
    throw new ValidationError([
      { field: 'asOf', message: 'give exactly one of asOf (an ISO time) or version' },
    ]);
  }
  const asOf = query.asOf === undefined ? null : isoTimeToUtc(query.asOf);
  return { ref, at: asOf !== null ? { asOf } : { version: Number(query.version) } };
}

export function diffParams(request: Request, query: DiffQuery) {
  return {
    ref: aggregateRef(request),
    fromVersion: Number(query.fromVersion),
    toVersion: Number(query.toVersion),
  };
}

export function eventsParams(_request: Request, query: EventsQuery): EventsFilter {
  return {
    ...(query.actor !== undefined && { actor: query.actor }),
    ...(query.eventType !== undefined && { eventType: query.eventType }),
    ...(query.type !== undefined && { type: query.type }),
    ...timeRange(query),
    ...(query.cursor !== undefined && { cursor: query.cursor }),
    limit: pageSize(query.limit),
  };
}
