import { createHash } from 'node:crypto';
import { canonicalJson } from '../../shared-kernel/canonical-json';
import {
  IdempotencyInProgressError,
  IdempotencyKeyReusedError,
  UnavailableError,
  ValidationError,
} from '../../shared-kernel/errors';
import type { IdempotencyStore } from '../../shared-kernel/idempotency/port';
import { newId } from '../../shared-kernel/ids';
import type { Logger } from '../../shared-kernel/logging/logger';
import { problemFor } from '../../shared-kernel/http/problem';
import { settleInBackground } from './settle-in-background';

/** A response as it was sent, so a repeated request gets exactly it again. */
export interface CommandResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  /** True when `body` is a problem document (sent as application/problem+json). */
  problem: boolean;
}

type IdempotencyRecord =
  | { state: 'running'; fingerprint: string; claim: string }
  | { state: 'done'; fingerprint: string; response: CommandResponse };

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/**
 * How long a claim ("running") lives before the final answer replaces it. Short, because a claim
 * can outlive its claimer: a process that died mid-command would otherwise lock the key (409)
 * for the whole 24 hours.
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

/** Everything that makes two keyed requests "the same request". */
export interface RequestShape {
  method: string;
  /** Path and query string. */
  path: string;
  /** `If-Match` as sent (a corrected precondition is another request), absent as null. */
  ifMatch: string | null;
  /** Who the command is recorded as acting for. */
  actor: string;
  /** The parsed JSON body; its key order does not matter. */
  body: unknown;
}

export function requestFingerprint(shape: RequestShape): string {
  const { method, path, ifMatch, actor, body } = shape;
  return createHash('sha256')
    .update(canonicalJson([method.toUpperCase(), path, ifMatch, actor, body]))
    .digest('hex');
}

/** A key belongs to its caller: the same key from two callers names two requests. */
export interface IdempotentRequest {
  /** The caller (token subject, or client address when the API runs open). */
  scope: string;
  key: string;
  fingerprint: string;
}

/**
 * Runs `work` at most once per caller and key. The first request claims the key atomically
 * ("running"), then stores the final response; repeats replay it, a repeat that is another
 * request is 422, a repeat while running is 409. Client errors are final answers and are stored
 * too. When the command did not run (the store could not be reached to claim the key, or the
 * command failed with a 5xx), the claim is released, at once or as soon as the store answers
 * again, so the retry the 503 invites runs the command instead of waiting out the claim.
 */
export async function runIdempotently(
  store: IdempotencyStore,
  logger: Logger,
  request: IdempotentRequest,
  work: () => Promise<CommandResponse>,
): Promise<CommandResponse & { replayed: boolean }> {
  const { key, fingerprint } = request;
  const storeKey = `idempotency:${JSON.stringify([request.scope, key])}`;
  const claim = JSON.stringify({ state: 'running', fingerprint, claim: newId() });
  const release = () =>
    settleInBackground(logger, 'release an idempotency claim', IDEMPOTENCY_CLAIM_TTL_MS, () =>
      store.release(storeKey, claim),
    );
  let held: string | null;
  try {
    held = await store.claim(storeKey, claim, IDEMPOTENCY_CLAIM_TTL_MS);
  } catch (cause) {
    // The claim may be stored even so (a reply lost in a stall): it is taken back, never left.
    void release();
    throw new UnavailableError(
      'the Idempotency-Key cannot be checked now, so the command was not run; retry with the same key',
      1,
      { cause },
    );
  }
  if (held !== null) return replay(JSON.parse(held) as IdempotencyRecord, key, fingerprint);

  let response: CommandResponse;
  try {
    response = await work();
  } catch (error) {
    const problem = problemFor(error);
    if (problem.document.status >= 500) {
      await release();
      throw error;
    }
    response = {
      status: problem.document.status,
      headers: problem.headers,
      body: problem.document,
      problem: true,
    };
  }
  const done = JSON.stringify({ state: 'done', fingerprint, response } satisfies IdempotencyRecord);
  // The command has run; failing the response now would invite the client to run it again.
  // Until the answer is stored, repeats are told 409 (in progress) and retry.
  await settleInBackground(logger, 'store an idempotent answer', IDEMPOTENCY_CLAIM_TTL_MS, () =>
    store.complete(storeKey, done, IDEMPOTENCY_TTL_MS),
  );
  return { ...response, replayed: false };
}

function replay(
  record: IdempotencyRecord,
  key: string,
  fingerprint: string,
): CommandResponse & { replayed: boolean } {
  if (record.fingerprint !== fingerprint) {
    throw new IdempotencyKeyReusedError(`Idempotency-Key ${key} was used with a different request`);
  }
  if (record.state === 'running') {
    throw new IdempotencyInProgressError(`a request with Idempotency-Key ${key} is running`);
  }
  return { ...record.response, replayed: true };
}
