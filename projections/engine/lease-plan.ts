import { createHash } from 'node:crypto';
import type { Lease } from '../../shared-kernel/document-store/port';
import { parsePartitionName } from './partitions';

/** The lease a worker keeps to be counted as a member while it runs. */
export const memberLeaseName = (workerId: string) => `member:${workerId}`;
const MEMBER_PREFIX = 'member:';
export const isMemberLease = (name: string) => name.startsWith(MEMBER_PREFIX);

export interface PlanInput {
  /** Every processor (or partition) lease name the workers share. */
  processors: readonly string[];
  me: string;
  /** Every lease as just read from the store. */
  leases: readonly Lease[];
  /** The store's time as far as this worker can tell (ms since the epoch). */
  now: number;
  /** How long a lease lasts: one free longer than this is taken whatever the quotas say. */
  ttlMs: number;
}

export interface LeasePlan {
  /** How many processors this worker should run. */
  quota: number;
  members: string[];
  /** Free leases to try to take, best first. */
  take: string[];
  /** Held leases to hand over (after stopping their runners). */
  give: string[];
}

const live = (lease: Lease, now: number) =>
  lease.owner !== null && Date.parse(lease.expiresAt) > now;

/**
 * Which leases this worker should take and give up, so that every processor has one owner and
 * the counts differ by at most one. The live members (unexpired member leases, this worker
 * included) are sorted; P processors over N members give the first P mod N members one more.
 * Partitions are dealt to members in turn; for whole processors each worker prefers by a hash
 * of (worker, processor), so a join moves only what the new quotas require and the same worker
 * tends to get the same processors back.
 */
export function planLeases(input: PlanInput): LeasePlan {
  const { processors, me, leases, now, ttlMs } = input;
  const byName = new Map(leases.map((lease) => [lease.name, lease]));
  const members = new Set([me]);
  for (const lease of leases) {
    if (isMemberLease(lease.name) && live(lease, now)) {
      members.add(lease.name.slice(MEMBER_PREFIX.length));
    }
  }
  const sorted = [...members].sort();
  const index = sorted.indexOf(me);
  const quota =
    Math.floor(processors.length / sorted.length) +
    (index < processors.length % sorted.length ? 1 : 0);
  const ownedLive = (name: string) => {
    const lease = byName.get(name);
    return lease !== undefined && lease.owner === me && live(lease, now);
  };
  const isFree = (name: string) => {
    const lease = byName.get(name);
    return lease === undefined || !live(lease, now);
  };
  // Free for longer than a lease time: whoever sees it takes it, so nothing stays unowned
  // while members disagree about who is alive.
  const orphaned = processors.filter((name) => {
    const lease = byName.get(name);
    return isFree(name) && (lease === undefined || Date.parse(lease.expiresAt) + ttlMs < now);
  });
  // Partitions are dealt round-robin over the sorted members (every member deals alike), so
  // one processor's partitions land on different workers however the hashes fall; a join
  // re-deals them. Dealt from member 0 like the quotas, so no member is dealt beyond its quota.
  const partitions = processors.filter((name) => parsePartitionName(name) !== null);
  const dealt = partitions.filter((_, i) => sorted[i % sorted.length] === me);
  const dealtSet = new Set(dealt);
  const whole = processors
    .filter((name) => parsePartitionName(name) === null)
    .sort((a, b) => preference(me, b) - preference(me, a));
  const wholeQuota = quota - dealt.length;
  const heldWhole = whole.filter(ownedLive);
  const room = Math.max(0, wholeQuota - heldWhole.length);
  const take = [
    ...new Set([...dealt.filter(isFree), ...whole.filter(isFree).slice(0, room), ...orphaned]),
  ];
  const give = [
    ...partitions.filter((name) => !dealtSet.has(name) && ownedLive(name)),
    ...(heldWhole.length > wholeQuota ? heldWhole.slice(wholeQuota) : []),
  ];
  return { quota, members: sorted, take, give };
}

/** Rendezvous hashing: a stable score per (worker, processor). */
function preference(worker: string, processor: string): number {
  return createHash('sha256').update(`${worker}\u0000${processor}`).digest().readUInt32BE(0);
}
