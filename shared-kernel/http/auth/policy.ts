import type { Request, RequestHandler, Response } from 'express';
import { ForbiddenError, NotFoundError } from '../../errors';
import { problemFor, sendProblem } from '../problem';
import type { Method } from '../routes';
import { principalOf, type Principal, type Role } from './principal';

/**
 * Who may call a route. `public` routes (probes, metrics, the API description) skip
 * authentication; everything else needs a verified token once a key is configured.
 */
export type Access =
  | { kind: 'public' }
  | { kind: 'authenticated' }
  | { kind: 'role'; role: Role }
  /** Staff holding `role`, or a customer acting on its own resource. */
  | { kind: 'role-or-customer'; role: Role; customer: CustomerCheck };

export type CustomerCheck = (
  | /** Decided from the request (path, body) before the handler runs. */
    { when: 'before'; owns(request: Request, subject: string): boolean | Promise<boolean> }
    /** Decided from the answer the handler gives, e.g. the order's `customerId`. */
  | { when: 'answer'; ownerOf(answer: unknown): unknown }
) & {
  /** The 404 detail an unknown resource gets, so a refusal reads the same. */
  hiddenAs?(request: Request): string;
};

export const ACCESS_KINDS: readonly Access['kind'][] = [
  'public',
  'authenticated',
  'role',
  'role-or-customer',
];

/** The part of a route spec (routes.ts) the policy reads. */
export interface RoutePolicy {
  method: Method;
  /** Express-style path; `:name` is one segment. */
  path: string;
  access: Access;
}

/**
 * A request no route matches reaches no handler, only the router's 404 or 405. It still needs a
 * caller once tokens are on, so an anonymous probe learns nothing of which paths exist.
 */
const UNROUTED: Access = { kind: 'authenticated' };

export type PolicyLookup = (request: Request) => Access;

/**
 * The access rule of the route a request is for, matched as the router matches it. Found once
 * per request (the guards ask twice: public routes skip identification, then authorization).
 */
export function policyLookup(routes: readonly RoutePolicy[]): PolicyLookup {
  const compiled = routes.map((route) => ({ ...route, pattern: patternOf(route.path) }));
  const found = new WeakMap<Request, Access>();
  return (request) => {
    let access = found.get(request);
    if (access !== undefined) return access;
    access = UNROUTED;
    const method = request.method === 'HEAD' ? 'get' : request.method.toLowerCase();
    const path = request.path;
    for (const entry of compiled) {
      if (entry.method === method && entry.pattern.test(path)) {
        access = entry.access;
        break;
      }
    }
    found.set(request, access);
    return access;
  };
}

function patternOf(path: string): RegExp {
  const segments = path
    .split('/')
    .map((segment) =>
      segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    );
  // Express routers here are not strict: one trailing slash matches too.
  return new RegExp(`^${segments.join('/')}/?$`);
}

/**
 * Mounted after the body parser (a customer's order names its customer in the body). A
 * customer is told 404 for anything that is not its own, so it cannot probe what exists;
 * other callers missing the role get 403.
 */
export function authorize(lookup: PolicyLookup): RequestHandler {
  return async (request, response, next) => {
    const principal = principalOf(response.locals);
    const access = lookup(request);
    // No principal past authentication means the API runs open.
    if (!principal || access.kind === 'public' || access.kind === 'authenticated') return next();
    if (principal.roles.has(access.role)) return next();
    if (access.kind === 'role-or-customer' && principal.roles.has('customer')) {
      if (access.customer.when === 'answer') {
        const hidden = refusal(principal, request, access.customer);
        hideAnswersOwnedByOthers(response, principal, access.customer.ownerOf, hidden);
        return next();
      }
      if (await access.customer.owns(request, principal.subject)) return next();
      return next(refusal(principal, request, access.customer));
    }
    next(refusal(principal, request));
  };
}

function refusal(principal: Principal, request: Request, check?: CustomerCheck): Error {
  if (principal.roles.has('customer')) {
    const detail = check?.hiddenAs?.(request) ?? `no route for ${request.method} ${request.path}`;
    return new NotFoundError(detail);
  }
  return new ForbiddenError(`${request.method} ${request.path} needs a role the token lacks`);
}

/**
 * The owner is only known once the handler has read the resource (after any read-your-writes
 * wait), so the check sits on the answer: someone else's resource leaves as the same 404 an
 * unknown id would.
 */
function hideAnswersOwnedByOthers(
  response: Response,
  principal: Principal,
  ownerOf: (answer: unknown) => unknown,
  hidden: Error,
): void {
  const json = response.json.bind(response);
  response.json = (answer: unknown) => {
    if (response.statusCode < 300 && ownerOf(answer) !== principal.subject) {
      sendProblem(response, problemFor(hidden));
      return response;
    }
    return json(answer);
  };
}
