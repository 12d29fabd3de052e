/**
 * What "balanced within one" means for leases, in one place for every spec that checks it: the
 * processors each worker holds, or null while one of them has no owner among `workers` (a
 * released lease waits for its next owner, a dead worker's for its expiry).
 */
export function sharesOf(
  owners: readonly (string | null | undefined)[],
  workers: readonly string[],
): number[] | null {
  if (owners.some((owner) => owner == null || !workers.includes(owner))) return null;
  return workers.map((id) => owners.filter((owner) => owner === id).length);
}

/** Whether every processor is held by one of `workers` and their counts differ by at most one. */
export function balancedWithinOne(shares: readonly number[] | null): shares is number[] {
  return shares !== null && Math.max(...shares) - Math.min(...shares) <= 1;
}
