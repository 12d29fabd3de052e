import type { Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';
import { integerVar } from '../../config/env';
import { UnavailableError } from '../../errors';
import type { Logger } from '../../logging/logger';
import { problemFor, sendProblem } from '../problem';

/** The request limits both APIs read; each composition root spreads them into its own spec. */
export const limitsConfig = {
  /** Requests per minute per caller (token subject, or IP when open); 0 turns limiting off. */
  rateLimitPerMinute: integerVar('STRATA_RATE_LIMIT_PER_MINUTE', 6_000, { min: 0, max: 1_000_000 }),
  /** A handler still running after this long is answered 503 instead of holding the socket. */
  requestTimeoutMs: integerVar('STRATA_REQUEST_TIMEOUT_MS', 10_000, { min: 100, max: 600_000 }),
};

/**
 * helmet's defaults, with a content security policy for an API that serves only JSON: no
 * document it returns may load anything or be framed. Every directive is a constant, so
 * helmet's thirteen middlewares run once here and each request gets the headers they set: one
 * loop of `setHeader` instead of a chain of calls per request.
 */
export function securityHeaders(): RequestHandler {
  const headers: Array<[string, string]> = [];
  const recorder = {
    setHeader: (name: string, value: unknown) => headers.push([name, String(value)]),
    // X-Powered-By: the apps disable it, so there is nothing to remove per request.
    removeHeader: () => undefined,
  };
  helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
    },
  })({} as Request, recorder as unknown as Response, () => undefined);
  return (_request, response, next) => {
    for (const [name, value] of headers) response.setHeader(name, value);
    next();
  };
}

/**
 * Answers 503 problem+json when the handler has not answered within `timeoutMs`, so a stuck
 * store never leaves a client holding an open socket. The handler is not cancelled (a command
 * may still commit), which the answer says; whatever it writes later is dropped.
 */
export function requestTimeout(timeoutMs: number, logger: Logger): RequestHandler {
  return (request, response, next) => {
    const timer = setTimeout(() => {
      // An answer already under way is left to finish.
      if (response.headersSent) return;
      logger.warn('request timed out', { method: request.method, path: request.path, timeoutMs });
      const error = new UnavailableError(
        `no answer within ${timeoutMs} ms; a command may still complete, so retry it with the same Idempotency-Key`,
        1,
      );
      sendProblem(response, problemFor(error));
      dropLateWrites(response);
    }, timeoutMs);
    // A response emits 'close' once it is over, finished or cut off, so one listener clears it.
    response.once('close', () => clearTimeout(timer));
    next();
  };
}

/** Node would raise write-after-end errors for the late answer; it has nowhere to go. */
function dropLateWrites(response: Response): void {
  const writable = response as unknown as Record<string, unknown>;
  writable.setHeader = () => response;
  writable.writeHead = () => response;
  writable.write = () => true;
  writable.end = () => response;
}
