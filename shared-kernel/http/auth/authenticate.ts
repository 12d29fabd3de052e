import type { RequestHandler, Response } from 'express';
import { UnauthorizedError } from '../../errors';
import { runWithContext } from '../../logging/context';
import type { Logger } from '../../logging/logger';
import { identityOf, type RequestIdentity } from '../correlation';
import type { TokenVerifier } from './verifier';

const BEARER = /^Bearer ([A-Za-z0-9\-_.~+/]+=*)$/;

/** Set on `response.locals` by `authenticate`; read by the rate limiter and `requireCaller`. */
interface Attempt {
  /** A refusal to answer once the rate limiter has counted the request. */
  failure?: { error: Error; challenge: string };
}

/** With tokens the subject is the actor: a client-chosen `X-Actor` must not reach the audit trail. */
export const dropActorHeader: RequestHandler = (request, _response, next) => {
  delete request.headers['x-actor'];
  next();
};

/**
 * Verifies `Authorization: Bearer` on every non-public route and puts the principal on
 * `response.locals`. A failure is only noted here: the rate limiter runs next (keyed by IP,
 * since there is no subject), so a flood of bad tokens is throttled like anything else.
 */
export function authenticate(verify: TokenVerifier, logger: Logger): RequestHandler {
  return async (request, response, next) => {
    if (isPublicRoute(response)) return next();
    const attempt: Attempt = {};
    response.locals.authAttempt = attempt;
    const header = request.get('authorization');
    if (header === undefined) {
      attempt.failure = {
        error: new UnauthorizedError('this route needs Authorization: Bearer <token>'),
        challenge: 'Bearer realm="strata"',
      };
      return next();
    }
    let principal;
    try {
      const token = BEARER.exec(header)?.[1];
      if (token === undefined) {
        throw new UnauthorizedError('the Authorization header is not "Bearer <token>"');
      }
      principal = await verify(token);
    } catch (error) {
      if (!(error instanceof UnauthorizedError)) return next(error);
      logger.debug('token refused', { path: request.path, reason: error.message });
      attempt.failure = { error, challenge: challengeFor(error.message) };
      return next();
    }
    response.locals.principal = principal;
    const identity: RequestIdentity = { ...identityOf(response.locals), actor: principal.subject };
    response.locals.identity = identity;
    runWithContext(identity, () => next());
  };
}

/** Answers the noted failure as a 401 with the RFC 6750 challenge. */
export const requireCaller: RequestHandler = (_request, response, next) => {
  const failure = (response.locals.authAttempt as Attempt | undefined)?.failure;
  if (!failure) return next();
  response.setHeader('WWW-Authenticate', failure.challenge);
  next(failure.error);
};

function challengeFor(reason: string): string {
  const description = reason.replace(/["\\]/g, "'");
  return `Bearer realm="strata", error="invalid_token", error_description="${description}"`;
}

export function isPublicRoute(response: Response): boolean {
  return response.locals.publicRoute === true;
}
