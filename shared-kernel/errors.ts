/**
 * Typed errors, each carrying its HTTP status and a problem `type` slug, so one middleware can
 * render every failure as RFC 9457 problem+json and nothing else needs to know about HTTP.
 */
export interface FieldError {
  field: string;
  message: string;
}

export abstract class StrataError extends Error {
  abstract readonly status: number;
  /** Short slug naming the problem; rendered as the problem `type`. */
  abstract readonly type: string;
  abstract readonly title: string;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class ValidationError extends StrataError {
  readonly status = 400;
  readonly type = 'validation-failed';
  readonly title = 'The request is not valid';
  constructor(
    readonly errors: FieldError[],
    message = errors.map((e) => `${e.field}: ${e.message}`).join('; '),
  ) {
    super(message);
  }
}

export class NotFoundError extends StrataError {
  readonly status = 404;
  readonly type = 'not-found';
  readonly title = 'Not found';
}

/** A business rule was broken; `rule` names it (for example `duplicate-sku`). */
export class ConflictError extends StrataError {
  readonly status = 409;
  readonly title = 'The request conflicts with a business rule';
  constructor(
    readonly rule: string,
    message: string,
  ) {
    super(message);
  }
  get type(): string {
    return this.rule;
  }
}

/** The stream was not at the revision the append expected. */
export class ConcurrencyError extends StrataError {
  readonly status = 409;
  readonly type = 'concurrency-conflict';
  readonly title = 'The stream changed meanwhile';
  constructor(
    readonly streamId: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`stream ${streamId}: expected revision ${expected}, actual ${actual}`);
  }
}

/** An `If-Match` precondition failed. */
export class PreconditionFailedError extends StrataError {
  readonly status = 412;
  readonly type = 'precondition-failed';
  readonly title = 'The resource is not at the expected revision';
}

export class PayloadTooLargeError extends StrataError {
  readonly status = 413;
  readonly type = 'payload-too-large';
  readonly title = 'The request body is too large';
}

/** An idempotency key was reused with a different request body. */
export class IdempotencyKeyReusedError extends StrataError {
  readonly status = 422;
  readonly type = 'idempotency-key-reused';
  readonly title = 'The idempotency key was used with a different request';
}

/** An idempotent request with this key is still being processed. */
export class IdempotencyInProgressError extends StrataError {
  readonly status = 409;
  readonly type = 'idempotency-in-progress';
  readonly title = 'A request with this idempotency key is still running';
}

export class UnauthorizedError extends StrataError {
  readonly status = 401;
  readonly type = 'unauthorized';
  readonly title = 'Authentication is required';
}

/** The caller is known but may not do this. (Customers get a 404 instead; see http/auth/policy.ts.) */
export class ForbiddenError extends StrataError {
  readonly status = 403;
  readonly type = 'forbidden';
  readonly title = 'Not allowed';
}

export class TooManyRequestsError extends StrataError {
  readonly status = 429;
  readonly type = 'too-many-requests';
  readonly title = 'Too many requests';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/** A dependency (store, cache, broker, disk) cannot serve now; the client may retry. */
export class UnavailableError extends StrataError {
  readonly status = 503;
  readonly type = 'unavailable';
  readonly title = 'A dependency is unavailable';
  constructor(
    message: string,
    readonly retryAfterSeconds = 1,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Bad configuration: names the variable and what it expects. Stops start-up. */
export class ConfigError extends StrataError {
  readonly status = 500;
  readonly type = 'configuration';
  readonly title = 'Invalid configuration';
}

/** A store could not be opened or used (locked, corrupt, unwritable), naming the file or URL. */
export class StoreError extends StrataError {
  readonly status = 503;
  readonly type = 'store-unavailable';
  readonly title = 'A store is unavailable';
}
