import type { Request, RequestHandler } from 'express';
import { NotFoundError, ValidationError } from '../../shared-kernel/errors';
import type { Position } from '../../shared-kernel/events/envelope';
import { isUuid } from '../../shared-kernel/ids';
import { SKU_DESCRIPTION, SKU_PATTERN } from '../../shared-kernel/http/field-limits';
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

export type ParamKind = 'uuid' | 'sku';

/** A path parameter that must be a UUID or a SKU, named in the 400 when it is not. */
export function pathParam(request: Request, name: string, kind: ParamKind): string {
  const value = request.params[name];
  const ok = kind === 'uuid' ? isUuid(value) : typeof value === 'string' && SKU_PATTERN.test(value);
  if (!ok || typeof value !== 'string') {
    const message = kind === 'uuid' ? 'must be a UUID' : `must be ${SKU_DESCRIPTION}`;
    throw new ValidationError([{ field: name, message }]);
  }
  return value;
}

/** What every family of query routes is built from. */
export interface QueryRouteDeps {
  documents: import('../../shared-kernel/document-store/port').DocumentStore;
  search: import('../../shared-kernel/search-index/port').SearchIndex;
  cache: import('../cache/query-cache').QueryCache;
  consistency: ReadYourWrites;
}
