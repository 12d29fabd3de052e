import type { ClassConstructor } from 'class-transformer';
import type { RequestHandler, Router } from 'express';
import { StrataError } from '../errors';
import { inRequestSpan } from '../tracing/request-span';
import { ACCESS_KINDS, type Access } from './auth/policy';

export type Method = 'get' | 'post' | 'patch' | 'put' | 'delete';
export type Schema = Record<string, unknown>;

export interface ParameterDoc {
  name: string;
  in: 'path' | 'header' | 'query';
  schema: Schema;
  description?: string;
  required?: boolean;
  example?: unknown;
}

/** What a route answers when it succeeds, as the OpenAPI document states it. */
export interface SuccessDoc {
  status: number;
  schema: Schema;
  headers?: string[];
}

/**
 * One route, described once. The router serves `handler` at `method path`, the access policy
 * is its `access`, and the OpenAPI document is built from the rest, so no second table can
 * forget a route or disagree with it.
 */
export interface RouteSpec {
  method: Method;
  /** Express-style: `:name` is one path segment. */
  path: string;
  summary: string;
  /** Who may call it. A route without one stops its app from being built. */
  access: Access;
  handler: RequestHandler;
  /** The JSON body's DTO class; the document refers to its schema by the class name. */
  body?: ClassConstructor<object>;
  /** The query string's DTO class: each of its fields is documented as a query parameter. */
  query?: ClassConstructor<object>;
  /** Examples of the query DTO's fields, by name. */
  queryExamples?: Record<string, string>;
  /** Path and header parameters. */
  parameters?: ParameterDoc[];
  success: SuccessDoc;
}

export class MethodNotAllowedError extends StrataError {
  readonly status = 405;
  readonly type = 'method-not-allowed';
  readonly title = 'Method not allowed';
  constructor(
    method: string,
    path: string,
    readonly allowed: string[],
  ) {
    super(`${method} is not allowed on ${path}; allowed: ${allowed.join(', ')}`);
  }
}

/**
 * Serves every route on `router`, refusing (at start-up, with the route named) one without an
 * access rule or described twice. Each path gets one Express Route, matched once per request
 * whatever its methods, and any other method on it is a 405 with an `Allow` header, so a wrong
 * method is told apart from an unknown path.
 */
export function mountRoutes(router: Router, routes: readonly RouteSpec[]): void {
  const byPath = new Map<string, RouteSpec[]>();
  for (const spec of routes) {
    requireAccessRule(spec);
    const siblings = byPath.get(spec.path) ?? [];
    if (siblings.some((other) => other.method === spec.method)) {
      throw new Error(`${nameOf(spec)} is described twice`);
    }
    byPath.set(spec.path, [...siblings, spec]);
  }
  for (const [path, specs] of byPath) {
    const entry = router.route(path);
    const allowed = specs.map((spec) => spec.method.toUpperCase());
    for (const spec of specs) entry[spec.method](namedAfter(path, spec.handler));
    if (allowed.includes('GET')) allowed.push('HEAD');
    entry.all((request, response, next) =>
      inRequestSpan(path, request, () => {
        response.setHeader('Allow', allowed.join(', '));
        next(new MethodNotAllowedError(request.method, request.path, allowed));
      }),
    );
  }
}

/** The handler, run in its request's trace span (named after the route). */
function namedAfter(path: string, handler: RequestHandler): RequestHandler {
  return (request, response, next) =>
    inRequestSpan(path, request, () => handler(request, response, next));
}

/** No default: an unlisted route would otherwise be open to any caller (fail-open). */
function requireAccessRule(spec: RouteSpec): void {
  const access = spec.access as Partial<Access> | undefined;
  if (!access || !ACCESS_KINDS.includes(access.kind as Access['kind'])) {
    throw new Error(
      `${nameOf(spec)} has no access rule (kind ${JSON.stringify(access?.kind)}): every route says who may call it`,
    );
  }
}

const nameOf = (spec: RouteSpec) => `${spec.method.toUpperCase()} ${spec.path}`;
