import { ConflictError } from '../../errors';
import {
  leaseLostMessage,
  leaseOf,
  type Lease,
  type LeaseFence,
  type LeaseRequest,
} from '../lease';
import type { Prepare } from './catalog';

/** Times are milliseconds since the epoch: every process on one SQLite file shares a clock. */
interface LeaseRow {
  name: string;
  owner: string | null;
  token: number;
  acquired_at: number;
  renewed_at: number;
  expires_at: number;
}

const COLUMNS = 'name, owner, token, acquired_at, renewed_at, expires_at';

/** Inside an immediate transaction: nobody else can take the lease between read and write. */
export function acquireLease(
  prepare: Prepare,
  { name, owner, ttlMs }: LeaseRequest,
  now: number,
): Lease | null {
  const row = prepare(`SELECT ${COLUMNS} FROM _strata_leases WHERE name = ?`).get(name) as
    LeaseRow | undefined;
  const expiresAt = now + ttlMs;
  if (row === undefined) {
    prepare(`INSERT INTO _strata_leases (${COLUMNS}) VALUES (?, ?, 1, ?, ?, ?)`).run(
      name,
      owner,
      now,
      now,
      expiresAt,
    );
    return toLease({
      name,
      owner,
      token: 1,
      acquired_at: now,
      renewed_at: now,
      expires_at: expiresAt,
    });
  }
  if (row.owner === owner) {
    prepare('UPDATE _strata_leases SET renewed_at = ?, expires_at = ? WHERE name = ?').run(
      now,
      expiresAt,
      name,
    );
    return toLease({ ...row, renewed_at: now, expires_at: expiresAt });
  }
  if (row.owner !== null && row.expires_at > now) return null;
  const token = row.token + 1;
  prepare(
    `UPDATE _strata_leases SET owner = ?, token = ?, acquired_at = ?, renewed_at = ?, expires_at = ?
     WHERE name = ?`,
  ).run(owner, token, now, now, expiresAt, name);
  return toLease({ name, owner, token, acquired_at: now, renewed_at: now, expires_at: expiresAt });
}

export function releaseLease(prepare: Prepare, name: string, owner: string, now: number): void {
  prepare(
    'UPDATE _strata_leases SET owner = NULL, expires_at = ? WHERE name = ? AND owner = ?',
  ).run(now, name, owner);
}

export function dropLease(prepare: Prepare, name: string, before: number): void {
  prepare('DELETE FROM _strata_leases WHERE name = ? AND expires_at <= ?').run(name, before);
}

export function listLeases(prepare: Prepare): Lease[] {
  const rows = prepare(`SELECT ${COLUMNS} FROM _strata_leases ORDER BY name`).all() as LeaseRow[];
  return rows.map(toLease);
}

/**
 * Inside the batch's transaction, first: the lease (in its own file, read as last committed)
 * must still be held with the fence's token, and no commit of this processor may have carried a
 * newer token. That high-water mark lives in the read-model file, so it is checked and raised
 * under the batch's own write lock: once a new owner committed, an older token never commits
 * again, even from a transaction frozen before the takeover and resumed after it.
 */
export function checkFenceHeld(leases: Prepare, readModels: Prepare, fence: LeaseFence): void {
  checkLeaseHeld(leases, fence);
  const fenced = readModels('SELECT token FROM _strata_fences WHERE name = ?', 'pluck').get(
    fence.name,
  ) as number | undefined;
  if (fenced !== undefined && fenced > fence.token) {
    throw new ConflictError('lease-lost', leaseLostMessage(fence, fenced));
  }
  if (fenced !== fence.token) {
    readModels(
      `INSERT INTO _strata_fences (name, token) VALUES (?, ?)
       ON CONFLICT (name) DO UPDATE SET token = excluded.token`,
    ).run(fence.name, fence.token);
  }
}

/** The lease `fence.name` is held with `fence.token`: called again just before the commit. */
export function checkLeaseHeld(leases: Prepare, fence: LeaseFence): void {
  const row = leases('SELECT owner, token FROM _strata_leases WHERE name = ?').get(fence.name) as
    Pick<LeaseRow, 'owner' | 'token'> | undefined;
  if (row === undefined || row.owner === null || row.token !== fence.token) {
    const held = row === undefined || row.owner === null ? null : row.token;
    throw new ConflictError('lease-lost', leaseLostMessage(fence, held));
  }
}

function toLease(row: LeaseRow): Lease {
  const { acquired_at: acquiredAt, renewed_at: renewedAt, expires_at: expiresAt } = row;
  return leaseOf({ ...row, acquiredAt, renewedAt, expiresAt });
}
