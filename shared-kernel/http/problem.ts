import type { Response } from 'express';
import { PayloadTooLargeError, StrataError, ValidationError, type FieldError } from '../errors';

/** An RFC 9457 problem document; `type` is the slug of the typed error (a relative URI). */
export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldError[];
}

export interface Problem {
  document: ProblemDocument;
  headers: Record<string, string>;
}

/**
 * Errors raised by body-parser and friends carry `status` and a dotted `type`; they are the
 * client's fault, so they get their own status rather than falling through to a 500.
 */
interface HttpLibraryError {
  status: number;
  type?: string;
  message: string;
}

export function problemFor(error: unknown): Problem {
  const typed = asTypedError(error);
  if (typed) return fromTypedError(typed);
  if (isHttpLibraryError(error) && error.status >= 400 && error.status < 500) {
    const slug = error.status === 415 ? 'unsupported-media-type' : 'bad-request';
    return {
      document: {
        type: slug,
        title: 'The request cannot be processed',
        status: error.status,
        detail: error.message,
      },
      headers: {},
    };
  }
  // Anything else is our fault; its message may carry internals, so it is not echoed.
  return {
    document: {
      type: 'internal-error',
      title: 'Internal server error',
      status: 500,
      detail: 'the server failed to process the request; see its log for the correlation id',
    },
    headers: {},
  };
}

export function sendProblem(response: Response, problem: Problem): void {
  if (response.headersSent) return;
  response.status(problem.document.status);
  for (const [name, value] of Object.entries(problem.headers)) response.setHeader(name, value);
  response.type('application/problem+json');
  response.send(JSON.stringify(problem.document));
}

function asTypedError(error: unknown): StrataError | null {
  if (error instanceof StrataError) return error;
  if (!isHttpLibraryError(error)) return null;
  if (error.type === 'entity.too.large') return new PayloadTooLargeError(error.message);
  if (error.type === 'entity.parse.failed') {
    return new ValidationError([{ field: 'body', message: `malformed JSON: ${error.message}` }]);
  }
  return null;
}

function fromTypedError(error: StrataError): Problem {
  const document: ProblemDocument = {
    type: error.type,
    title: error.title,
    status: error.status,
    detail: error.status >= 500 && error.status !== 503 ? 'see the server log' : error.message,
  };
  if (error instanceof ValidationError) document.errors = error.errors;
  const headers: Record<string, string> = {};
  const retryAfter = (error as { retryAfterSeconds?: unknown }).retryAfterSeconds;
  if (typeof retryAfter === 'number')
    headers['Retry-After'] = String(Math.max(1, Math.ceil(retryAfter)));
  else if (error.status === 503) headers['Retry-After'] = '1';
  return { document, headers };
}

function isHttpLibraryError(error: unknown): error is HttpLibraryError {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { status?: unknown }).status === 'number' &&
    typeof (error as { message?: unknown }).message === 'string'
  );
}
