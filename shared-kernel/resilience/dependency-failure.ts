import { StrataError } from '../errors';

/** Network error codes of Node's sockets and DNS that mean "the other side is not there". */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * Whether an error says the dependency is unwell (so it counts towards opening its breaker):
 * unavailable, unreachable, timed out, or a server error of ours (5xx StrataError). A client
 * mistake (validation, not found, conflict, a stale revision: any StrataError below 500) is the
 * dependency working correctly and never counts, nor does an unknown error a bug of ours threw.
 * Adapters whose client has its own error classes pass a predicate of their own instead.
 */
export function isDependencyFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error instanceof StrataError) return error.status >= 500;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) return true;
  return /Timeout|Network|Connection|NoLivingConnections|ServerSelection|Unavailable/i.test(
    error.name,
  );
}
