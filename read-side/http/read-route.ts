import type { Request, RequestHandler } from 'express';
import { NotFoundError } from '../../shared-kernel/errors';
import type { Position } from '../../shared-kernel/events/envelope';
import {
  reachPosition,
  requestedPosition,
  SERVED_AT_HEADER,
  type ReadYourWrites,
} from '../consistency/min-position';

export interface ReadRouteSpec<P> {
  /** The processor whose read model the route answers from (its checkpoint is the position). */
  processor: string;
  /** Checks path and query parameters; throws ValidationError before anything is read. */
  parse(request: Request): Promise<P>;
  /** The answer at `servedAt`; null is a 404 with `notFound`'s message. */
  answer(params: P, servedAt: Position | null): Promise<unknown>;
  notFound?: (params: P) => string;
}

/**
 * One GET route of the query API: parameters first (a bad request never waits), then the wait
 * for the client's minimum position, then the answer. Every answer, errors included, carries
 * `X-Projection-Position`.
 */
export function readRoute<P>(deps: ReadYourWrites, spec: ReadRouteSpec<P>): RequestHandler {
  return async (request, response) => {
    const label = (position: Position | null) =>
      response.setHeader(SERVED_AT_HEADER, position ?? '0');
    label(deps.watcher.current(spec.processor));
    const wanted = requestedPosition(request);
    const params = await spec.parse(request);
    const servedAt = await reachPosition(deps, spec.processor, wanted);
    label(servedAt);
    const answer = await spec.answer(params, servedAt);
    if (answer === null) {
      throw new NotFoundError(spec.notFound ? spec.notFound(params) : 'not found');
    }
    response.json(answer);
  };
}

/** What every family of query routes is built from. */
export interface QueryRouteDeps {
  documents: import('../../shared-kernel/document-store/port').DocumentStore;
  search: import('../../shared-kernel/search-index/port').SearchIndex;
  cache: import('../cache/query-cache').QueryCache;
  consistency: ReadYourWrites;
}
