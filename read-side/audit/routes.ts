import type { Router } from 'express';
import { route } from '../../shared-kernel/http/error-handling';
import { readRoute, type QueryRouteDeps } from '../http/read-route';
import { aggregateDiff } from './audit-diff';
import { diffParams, eventsParams, historyParams, stateParams } from './audit-params';
import { aggregateState } from './aggregate-state';
import { aggregateHistory, auditEvents } from './audit-queries';

/** The audit trail read model's processor: every audit answer is served at its checkpoint. */
export const AUDIT_PROCESSOR = 'audit';

export function auditRoutes(router: Router, deps: QueryRouteDeps): void {
  const { documents, consistency } = deps;
  const processor = AUDIT_PROCESSOR;
  route(router, '/audit/events', {
    get: [
      readRoute(consistency, {
        processor,
        parse: eventsParams,
        answer: (filter) => auditEvents(documents, filter),
      }),
    ],
  });
  route(router, '/audit/:type/:id/history', {
    get: [
      readRoute(consistency, {
        processor,
        parse: historyParams,
        answer: ({ ref, range }) => aggregateHistory(documents, ref.type, ref.id, range),
      }),
    ],
  });
  route(router, '/audit/:type/:id/state', {
    get: [
      readRoute(consistency, {
        processor,
        parse: stateParams,
        answer: ({ ref, at }) => aggregateState(documents, ref.type, ref.id, at),
      }),
    ],
  });
  route(router, '/audit/:type/:id/diff', {
    get: [
      readRoute(consistency, {
        processor,
        parse: diffParams,
        answer: ({ ref, fromVersion, toVersion }) =>
          aggregateDiff(documents, ref.type, ref.id, fromVersion, toVersion),
      }),
    ],
  });
}
