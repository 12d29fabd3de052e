import express, { type RequestHandler } from 'express';
import { StrataError } from '../errors';

export class UnsupportedMediaTypeError extends StrataError {
  readonly status = 415;
  readonly type = 'unsupported-media-type';
  readonly title = 'The request body must be JSON';
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/**
 * JSON bodies only, at most `limitBytes`. A request without a body reads as `{}` (so
 * `POST /products/:id/discontinue` needs none); a body of any other media type is 415; over
 * the limit is 413 (body-parser stops reading there, so memory stays bounded); malformed JSON
 * is 400. Only objects and arrays parse (`strict`); the DTO check refuses arrays.
 */
export function jsonBody(limitBytes: number): RequestHandler[] {
  const parse = express.json({ limit: limitBytes, strict: true, type: () => true });
  const requireJson: RequestHandler = (request, _response, next) => {
    if (!BODY_METHODS.has(request.method) || !hasBody(request.headers)) {
      request.body = {};
      next();
      return;
    }
    if (!request.is('application/json') && !request.is('application/*+json')) {
      next(
        new UnsupportedMediaTypeError(
          `expected Content-Type application/json, got ${request.get('content-type') ?? 'none'}`,
        ),
      );
      return;
    }
    next();
  };
  const parseIfPresent: RequestHandler = (request, response, next) => {
    if (!BODY_METHODS.has(request.method) || !hasBody(request.headers)) {
      next();
      return;
    }
    parse(request, response, next);
  };
  return [requireJson, parseIfPresent];
}

function hasBody(headers: Record<string, string | string[] | undefined>): boolean {
  if (headers['transfer-encoding'] !== undefined) return true;
  const length = headers['content-length'];
  return length !== undefined && length !== '0';
}
