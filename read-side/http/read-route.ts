import type { ClassConstructor } from 'class-transformer';
import type { Request, Response } from 'express';
import type { DocumentStore } from '../../shared-kernel/document-store/port';
import { NotFoundError } from '../../shared-kernel/errors';
import type { Position } from '../../shared-kernel/events/envelope';
import type { Access } from '../../shared-kernel/http/auth/policy';
import type { ParameterDoc, RouteSpec } from '../../shared-kernel/http/routes';
import type { SearchIndex } from '../../shared-kernel/search-index/port';
import { JsonText, type QueryCache } from '../cache/query-cache';
import {
  reachPosition,
  requestedPosition,
  SERVED_AT_HEADER,
  type ReadYourWrites,
} from '../consistency/min-position';
import { noQueryParams, queryParams } from './query-params';

export interface ReadRouteSpec<Q extends object, P> {
  path: string;
  summary: string;
  access: Access;
  /** The processor whose read model the route answers from (its checkpoint is the position). */
  processor: string;
  /** The query string's DTO, checked before `parse`; without one any parameter is refused. */
  query?: ClassConstructor<Q>;
  /** For the OpenAPI document: an example of each query field (a cursor has none). */
  queryExamples?: Partial<Record<keyof Q & string, string>>;
  /** Its path parameters, for the OpenAPI document. */
  parameters?: ParameterDoc[];
  /** A list answer: `{ items, nextCursor }`. */
  list?: boolean;
  /** Checks the path parameters and turns the query into what `answer` takes; throws first. */
  parse(request: Request, query: Q): P | Promise<P>;
  /** The answer at `servedAt` (a cached one as its JSON text); null is a 404 with `notFound`'s message. */
  answer(params: P, servedAt: Position | null): Promise<unknown>;
  notFound?: (params: P) => string;
}

const MIN_POSITION: ParameterDoc = {
  name: 'X-Min-Position',
  in: 'header',
  schema: { type: 'string' },
  description: 'wait until the read model has passed this position (503 + Retry-After if not)',
};
const ANSWER = { type: 'object' };
const PAGE = {
  type: 'object',
  required: ['items', 'nextCursor'],
  properties: { items: { type: 'array' }, nextCursor: { type: ['string', 'null'] } },
};

/**
 * One GET route of the query API: parameters first (a bad request never waits), then the wait
 * for the client's minimum position, then the answer. Every answer, errors included, carries
 * `X-Projection-Position`.
 */
export function readRoute<Q extends object, P>(
  deps: ReadYourWrites,
  spec: ReadRouteSpec<Q, P>,
): RouteSpec {
  const { path, summary, access, query } = spec;
  // The access check that reads the owner from the answer sees it through `response.json`.
  const answerIsChecked = access.kind === 'role-or-customer' && access.customer.when === 'answer';
  return {
    method: 'get',
    path,
    summary,
    access,
    ...(query && { query }),
    ...(spec.queryExamples && { queryExamples: spec.queryExamples as Record<string, string> }),
    parameters: [...(spec.parameters ?? []), MIN_POSITION],
    success: { status: 200, schema: spec.list ? PAGE : ANSWER, headers: [SERVED_AT_HEADER] },
    handler: async (request, response) => {
      const label = (position: Position | null) =>
        response.setHeader(SERVED_AT_HEADER, position ?? '0');
      label(deps.watcher.current(spec.processor));
      const wanted = requestedPosition(request);
      const checked = query ? await queryParams(query, request) : await noQuery<Q>(request);
      const params = await spec.parse(request, checked);
      const servedAt = await reachPosition(deps, spec.processor, wanted);
      label(servedAt);
      const answer = await spec.answer(params, servedAt);
      if (answer === null) {
        throw new NotFoundError(spec.notFound ? spec.notFound(params) : 'not found');
      }
      if (!(answer instanceof JsonText)) response.json(answer);
      else if (answerIsChecked) response.json(JSON.parse(answer.text));
      else sendJsonText(response, answer.text);
    },
  };
}

/**
 * The answer's JSON text as it is, with its two headers: express's `send` would look the type
 * up, re-encode and check freshness per answer, and there is no ETag to compare (etag is off).
 */
function sendJsonText(response: Response, text: string): void {
  response.setHeader('Content-Type', 'application/json; charset=utf-8');
  response.setHeader('Content-Length', Buffer.byteLength(text));
  response.end(text);
}

async function noQuery<Q>(request: Request): Promise<Q> {
  await noQueryParams(request);
  return {} as Q;
}

/** What every family of query routes is built from. */
export interface QueryRouteDeps {
  documents: DocumentStore;
  search: SearchIndex;
  cache: QueryCache;
  consistency: ReadYourWrites;
}
