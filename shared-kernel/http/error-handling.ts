import type { ErrorRequestHandler, RequestHandler } from 'express';
import { NotFoundError } from '../errors';
import type { Logger } from '../logging/logger';
import { createLogSampler } from '../logging/sampler';
import { routeTemplate } from '../metrics/http-metrics';
import { problemFor, sendProblem } from './problem';

/**
 * The one place errors become responses: every failure leaves as problem+json. Our own
 * failures (500) are errors with their stack. An answer the client caused or can retry (4xx, a
 * 503 such as a read model not yet at the client's X-Min-Position or a dependency away) is no
 * fault of ours: a 503 is a warning, a 4xx debug, never with a stack, and sampled per status,
 * type and route, so a flood of one client's retries writes a line per interval, not per request.
 */
export function problemErrorHandler(logger: Logger): ErrorRequestHandler {
  const sampler = createLogSampler();
  return (error: unknown, request, response, _next) => {
    const problem = problemFor(error);
    const { status, type } = problem.document;
    if (status >= 500 && status !== 503) {
      logger.error('request failed', {
        method: request.method,
        path: request.path,
        status,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      });
    } else {
      const suppressed = sampler.admit(
        `${status} ${type} ${request.method} ${routeTemplate(request)}`,
      );
      if (suppressed !== null) {
        logger.log(status === 503 ? 'warn' : 'debug', `request answered ${status}`, {
          method: request.method,
          path: request.path,
          status,
          type,
          detail: describe(error),
          ...(suppressed > 0 && { suppressed }),
        });
      }
    }
    sendProblem(response, problem);
  };
}

/** The message, and its cause's (a dependency's own words are for the log, not the client). */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}

/** Mounted last: a path no route knows is a 404 problem, not Express's HTML page. */
export const unknownRoute: RequestHandler = (request, _response, next) => {
  next(new NotFoundError(`no route for ${request.method} ${request.path}`));
};
