import type { ErrorRequestHandler, RequestHandler, Router } from 'express';
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

export type Method = 'get' | 'post' | 'patch' | 'put' | 'delete';

/**
 * Registers the handlers of one path and answers any other method with 405 and an `Allow`
 * header, so a wrong method is told apart from an unknown path.
 */
export function route(
  router: Router,
  path: string,
  handlers: Partial<Record<Method, RequestHandler[]>>,
): void {
  // One Route per path: a request is matched against the path once, not once per method.
  const entry = router.route(path);
  const allowed: string[] = [];
  for (const [method, chain] of Object.entries(handlers) as [Method, RequestHandler[]][]) {
    entry[method](...chain);
    allowed.push(method.toUpperCase());
  }
  if (allowed.includes('GET')) allowed.push('HEAD');
  entry.all((request, response, next) => {
    response.setHeader('Allow', allowed.join(', '));
    next(new MethodNotAllowedError(request.method, request.path, allowed));
  });
}
