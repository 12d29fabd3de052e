import { ValidationError } from '../errors';
import { checkProcessor } from './names';

/**
 * Leases: how several workers agree on one owner per processor without consensus code of
 * their own. A lease is a row in the document store, held by one owner until it expires; each
 * change of owner raises its fencing token, and a batch that carries a fence commits only while
 * the lease still has that token (checked inside the batch's own transaction), so an owner that
 * lost its lease (paused, partitioned, slow) can never commit again.
 */
export interface LeaseRequest {
  /** A processor, partition or member name (the processor-name rule). */
  name: string;
  /** The worker asking; the same owner renews, any other takes only an expired lease. */
  owner: string;
  /** How long the lease lasts from now, by the store's clock (the server's for MongoDB). */
  ttlMs: number;
}

export interface Lease {
  name: string;
  /** Null once released: the next taker, whoever it is, gets a new token. */
  owner: string | null;
  /** Raised on every change of owner; a commit fenced with an older one is refused. */
  token: number;
  /** When this owner took it (ISO 8601); a renewal keeps it. */
  acquiredAt: string;
  renewedAt: string;
  expiresAt: string;
}

/** Carried by a batch: it commits only while the lease `name` still has `token`. */
export interface LeaseFence {
  name: string;
  token: number;
}

export const MAX_LEASE_TTL_MS = 3_600_000;

export function checkLeaseRequest(request: LeaseRequest): LeaseRequest {
  const name = checkProcessor(request?.name, 'name');
  const owner = checkProcessor(request.owner, 'owner');
  const { ttlMs } = request;
  if (!Number.isInteger(ttlMs) || ttlMs < 1 || ttlMs > MAX_LEASE_TTL_MS) {
    throw new ValidationError([
      { field: 'ttlMs', message: `must be an integer from 1 to ${MAX_LEASE_TTL_MS}` },
    ]);
  }
  return { name, owner, ttlMs };
}

export function checkExpiredFor(ms: number): number {
  if (!Number.isInteger(ms) || ms < 0 || ms > MAX_LEASE_TTL_MS * 1000) {
    throw new ValidationError([
      { field: 'expiredForMs', message: 'must be a non-negative integer of milliseconds' },
    ]);
  }
  return ms;
}

export function checkFence(fence: LeaseFence): LeaseFence {
  const name = checkProcessor(fence?.name, 'fence.name');
  if (!Number.isSafeInteger(fence.token) || fence.token < 1) {
    throw new ValidationError([{ field: 'fence.token', message: 'must be a positive integer' }]);
  }
  return { name, token: fence.token };
}

/** The message of the ConflictError `lease-lost` both adapters raise. */
export function leaseLostMessage(fence: LeaseFence, token: number | null): string {
  return `lease ${fence.name} is ${token === null ? 'not held' : `at token ${token}`}, not ${fence.token}: another worker owns it now`;
}

/** A lease from an adapter's stored form, its times as epoch milliseconds or Dates. */
export function leaseOf(stored: {
  name: string;
  owner: string | null;
  token: number;
  acquiredAt: number | Date;
  renewedAt: number | Date;
  expiresAt: number | Date;
}): Lease {
  const iso = (at: number | Date) => new Date(at).toISOString();
  const { name, owner, token } = stored;
  return {
    name,
    owner,
    token,
    acquiredAt: iso(stored.acquiredAt),
    renewedAt: iso(stored.renewedAt),
    expiresAt: iso(stored.expiresAt),
  };
}
