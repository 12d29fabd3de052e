import { createHash } from 'node:crypto';
import type { Cache } from '../../shared-kernel/cache/port';
import {
  IdempotencyInProgressError,
  IdempotencyKeyReusedError,
  UnavailableError,
  ValidationError,
} from '../../shared-kernel/errors';
import type { Logger } from '../../shared-kernel/logging/logger';
import { problemFor } from '../../shared-kernel/http/problem';

/** A response as it was sent, so a repeated request gets exactly it again. */
export interface CommandResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  /** True when `body` is a problem document (sent as application/problem+json). */
  problem: boolean;
}

type IdempotencyRecord =
  | { state: 'running'; fingerprint: string }
  | { state: 'done'; fingerprint: string; response: CommandResponse };

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/**
 * How long a claim ("running") lives before the final answer replaces it. Short, because a claim
 * can outlive its claimer: a SET NX that Redis applied but whose reply timed out, or a process
 * that died mid-command, would otherwise lock the key (409) for the whole 24 hours.
 */
export const IDEMPOTENCY_CLAIM_TTL_MS = 60 * 1000;
const KEY = /^[\x21-\x7e]{1,255}$/;

export function parseIdempotencyKey(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  if (!KEY.test(raw)) {
    throw new ValidationError([
      { field: 'Idempotency-Key', message: 'must be 1-255 printable ASCII characters' },
    ]);
  }
  return raw;
}

/** What makes two requests "the same": method, path and body. */
export function requestFingerprint(method: string, path: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method} ${path}\n${JSON.stringify(body)}`)
    .digest('hex');
}

/**
 * Runs `work` at most once per key. The first caller claims the key with an atomic
 * set-if-absent ("running"), then stores the final response; repeats replay it, a repeat with
 * another body is 422, a repeat while running is 409. Client errors are final answers and are
 * stored too; server failures release the key so the client may retry. A cache that cannot be
 * reached fails the request (503) rather than risk running the command twice.
 */
export async function runIdempotently(
  cache: Cache,
  logger: Logger,
  key: string,
  fingerprint: string,
  work: () => Promise<CommandResponse>,
): Promise<CommandResponse & { replayed: boolean }> {
  const cacheKey = `idempotency:${key}`;
  const running: IdempotencyRecord = { state: 'running', fingerprint };
  for (
    let claims = 1;
    !(await cache.setIfAbsent(cacheKey, JSON.stringify(running), IDEMPOTENCY_CLAIM_TTL_MS));
    claims++
  ) {
    const stored = await cache.get(cacheKey);
    if (stored === null) {
      // Gone between the two calls (expired or evicted): claim it again, a few times at most.
      if (claims >= 3) throw new UnavailableError(`cannot claim Idempotency-Key ${key}`);
      continue;
    }
    const record = JSON.parse(stored) as IdempotencyRecord;
    if (record.fingerprint !== fingerprint) {
      throw new IdempotencyKeyReusedError(
        `Idempotency-Key ${key} was used with a different request`,
      );
    }
    if (record.state === 'running') {
      throw new IdempotencyInProgressError(`a request with Idempotency-Key ${key} is running`);
    }
    return { ...record.response, replayed: true };
  }
  let response: CommandResponse;
  try {
    response = await work();
  } catch (error) {
    const problem = problemFor(error);
    if (problem.document.status >= 500) {
      await cache
        .delete(cacheKey)
        .catch((cause: unknown) =>
          logger.error('could not release idempotency key', { key, error: String(cause) }),
        );
      throw error;
    }
    response = {
      status: problem.document.status,
      headers: problem.headers,
      body: problem.document,
      problem: true,
    };
  }
  const done: IdempotencyRecord = { state: 'done', fingerprint, response };
  await cache.set(cacheKey, JSON.stringify(done), IDEMPOTENCY_TTL_MS).catch((cause: unknown) =>
    // The command has run; failing the response now would invite the client to run it again.
    logger.error('could not store idempotent response; repeats will see 409', {
      key,
      error: String(cause),
    }),
  );
  return { ...response, replayed: false };
}
