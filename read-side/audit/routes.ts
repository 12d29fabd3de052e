import type { Access } from '../../shared-kernel/http/auth/policy';
import { pathParamDoc } from '../../shared-kernel/http/path-params';
import type { ParameterDoc, RouteSpec } from '../../shared-kernel/http/routes';
import { readRoute, type QueryRouteDeps } from '../http/read-route';
import { aggregateDiff } from './audit-diff';
import { diffParams, eventsParams, historyParams, stateParams } from './audit-params';
import { aggregateState } from './aggregate-state';
import { aggregateHistory, AUDIT_TYPES, auditEvents } from './audit-queries';
import { DiffQuery, EventsQuery, HistoryQuery, StateQuery } from './dtos';

/** The audit trail read model's processor: every audit answer is served at its checkpoint. */
export const AUDIT_PROCESSOR = 'audit';

const AUDITORS: Access = { kind: 'role', role: 'auditor' };
/** `:type` and `:id` of an aggregate (a stock item's id is its SKU; the example is a product). */
const AGGREGATE: ParameterDoc[] = [
  {
    name: 'type',
    in: 'path',
    required: true,
    schema: { type: 'string', enum: [...AUDIT_TYPES] },
    example: 'product',
  },
  pathParamDoc('id', 'uuid'),
];
const RANGE = { from: '2024-01-01', to: '2030-01-01T00:00:00Z', limit: '20' };

/** The audit trail, for auditors only. */
export function auditQueryRoutes(deps: QueryRouteDeps): RouteSpec[] {
  const { documents, consistency } = deps;
  const common = { access: AUDITORS, processor: AUDIT_PROCESSOR };
  return [
    readRoute(consistency, {
      ...common,
      path: '/audit/events',
      summary: 'Events across aggregates, newest first',
      query: EventsQuery,
      queryExamples: {
        actor: 'alice',
        eventType: 'ProductPriceChanged',
        type: 'product',
        ...RANGE,
      },
      list: true,
      parse: eventsParams,
      answer: (filter) => auditEvents(documents, filter),
    }),
    readRoute(consistency, {
      ...common,
      path: '/audit/:type/:id/history',
      summary: "An aggregate's events in order",
      parameters: AGGREGATE,
      query: HistoryQuery,
      queryExamples: RANGE,
      parse: historyParams,
      answer: ({ ref, range }) => aggregateHistory(documents, ref.type, ref.id, range),
    }),
    readRoute(consistency, {
      ...common,
      path: '/audit/:type/:id/state',
      summary: 'An aggregate as it was at a time or version (give one)',
      parameters: AGGREGATE,
      query: StateQuery,
      queryExamples: { asOf: '2030-01-01T00:00:00Z', version: '0' },
      parse: stateParams,
      answer: ({ ref, at }) => aggregateState(documents, ref.type, ref.id, at),
    }),
    readRoute(consistency, {
      ...common,
      path: '/audit/:type/:id/diff',
      summary: 'What changed between two versions',
      parameters: AGGREGATE,
      query: DiffQuery,
      queryExamples: { fromVersion: '0', toVersion: '1' },
      parse: diffParams,
      answer: ({ ref, fromVersion, toVersion }) =>
        aggregateDiff(documents, ref.type, ref.id, fromVersion, toVersion),
    }),
  ];
}
