import type { RequestHandler } from 'express';
import { ValidationError } from '../errors';
import { newId } from '../ids';
import { runWithContext } from '../logging/context';

/** Visible ASCII only: the value travels into logs and event metadata verbatim. */
const HEADER_TOKEN = /^[\x21-\x7e](?:[\x20-\x7e]{0,126}[\x21-\x7e])?$/;

export const ANONYMOUS_ACTOR = 'anonymous';

/** Who made the request and which conversation it belongs to, as seen by the handlers. */
export interface RequestIdentity {
  correlationId: string;
  actor: string;
}

export function identityOf(locals: Record<string, unknown>): RequestIdentity {
  const identity = locals.identity as RequestIdentity | undefined;
  if (!identity) throw new Error('correlation middleware is not mounted');
  return identity;
}

/**
 * Takes `X-Correlation-Id` when it is a sane token (or makes a UUID v7), echoes it, reads the
 * actor from `X-Actor`, and runs the rest of the request inside the logging context. A bad
 * correlation id is replaced rather than refused: it is a tracing aid, not an input. A bad
 * actor is refused: it is recorded in the audit trail.
 */
export function correlation(): RequestHandler {
  return (request, response, next) => {
    const offered = request.get('x-correlation-id');
    const correlationId = offered !== undefined && HEADER_TOKEN.test(offered) ? offered : newId();
    response.setHeader('X-Correlation-Id', correlationId);
    const rawActor = request.get('x-actor');
    if (rawActor !== undefined && !HEADER_TOKEN.test(rawActor)) {
      next(
        new ValidationError([
          { field: 'X-Actor', message: 'must be 1-128 printable ASCII characters' },
        ]),
      );
      return;
    }
    const identity: RequestIdentity = { correlationId, actor: rawActor ?? ANONYMOUS_ACTOR };
    response.locals.identity = identity;
    runWithContext(identity, () => next());
  };
}
