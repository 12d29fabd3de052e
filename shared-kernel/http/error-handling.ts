import type { ErrorRequestHandler, RequestHandler } from 'express';
import { NotFoundError, StrataError } from '../errors';
import type { Logger } from '../logging/logger';
import { problemFor, sendProblem } from './problem';

/** The one place errors become responses: every failure leaves as problem+json. */
export function problemErrorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, request, response, _next) => {
    const problem = problemFor(error);
    if (problem.document.status >= 500) {
      logger.error('request failed', {
        method: request.method,
        path: request.path,
        status: problem.document.status,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      });
    } else if (!(error instanceof StrataError)) {
      logger.debug('request rejected', { path: request.path, error: String(error) });
    }
    sendProblem(response, problem);
  };
}

/** Mounted last: a path no route knows is a 404 problem, not Express's HTML page. */
export const unknownRoute: RequestHandler = (request, _response, next) => {
  next(new NotFoundError(`no route for ${request.method} ${request.path}`));
};
