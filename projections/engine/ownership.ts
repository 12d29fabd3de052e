import type { DocumentStore, Lease } from '../../shared-kernel/document-store/port';
import type { Logger } from '../../shared-kernel/logging/logger';
import type { CommitOwnership } from './commit';
import { isMemberLease, memberLeaseName, planLeases } from './lease-plan';

/** A member lease expired for this many lease times belongs to a worker that is gone. */
const DEAD_MEMBER_AFTER_TTLS = 10;
import { LeaseLost } from './runner-context';
import type { ProcessorRunner } from './runner';

export interface OwnershipDeps {
  store: DocumentStore;
  /** Unique among the workers sharing the stores. */
  workerId: string;
  /** How long a lease lasts unrenewed; renewed on every tick (the heartbeat). */
  leaseTtlMs: number;
  /** Every processor (or partition) lease name. */
  processors: readonly string[];
  logger: Logger;
  /** A runner for `name`, every commit of which is fenced by `ownership`; not yet started. */
  runnerFor(name: string, ownership: CommitOwnership): ProcessorRunner;
}

/** A processor this worker holds the lease of, and its runner. */
export interface HeldProcessor {
  runner: ProcessorRunner;
  lease: Lease;
  /** performance.now() past which the lease may have run out: taken before the renewal asked. */
  validUntil: number;
  /**
   * `handing-over`: its runner is stopping to balance the workers, the lease is still renewed;
   * `released`: the runner stopped and the lease is being given up, no longer renewed.
   */
  phase: 'running' | 'handing-over' | 'released';
}

export interface Ownership {
  /** Renew what is held, then take and give up leases to the plan (lease-plan.ts). */
  tick(): Promise<void>;
  readonly held: ReadonlyMap<string, HeldProcessor>;
  /** Every lease as the last tick read it (other workers' too). */
  view(): readonly Lease[];
  /** Stops every runner, then gives every lease up, so the others take over at once. */
  releaseAll(): Promise<void>;
}

export function createOwnership(deps: OwnershipDeps): Ownership {
  const { store, workerId: me, leaseTtlMs: ttlMs, logger } = deps;
  const held = new Map<string, HeldProcessor>();
  const stopping = new Set<Promise<void>>();
  let leases: Lease[] = [];

  const background = (work: Promise<void>) => {
    const tracked = work.catch((error: unknown) => {
      logger.error('stopping a runner or handing its lease over failed', { error: String(error) });
    });
    stopping.add(tracked);
    void tracked.finally(() => stopping.delete(tracked));
  };

  /** Lost to another worker (or ran out): the runner stops, its commits would be refused. */
  function lose(name: string, why: string): void {
    const entry = held.get(name);
    if (!entry) return;
    held.delete(name);
    logger.warn('lease lost', { processor: name, fence: entry.lease.token, why });
    background(entry.runner.stop());
  }

  function handOver(name: string): void {
    const entry = held.get(name);
    if (!entry || entry.phase !== 'running') return;
    entry.phase = 'handing-over';
    logger.info('handing a processor over to balance the workers', { processor: name });
    background(
      entry.runner.stop().then(async () => {
        entry.phase = 'released';
        try {
          await store.releaseLease(name, me);
        } finally {
          held.delete(name);
        }
      }),
    );
  }

  function start(name: string, lease: Lease, validUntil: number): void {
    const entry: HeldProcessor = {
      lease,
      validUntil,
      phase: 'running',
      runner: deps.runnerFor(name, {
        fence: { name, token: lease.token },
        assertHeld() {
          if (performance.now() > entry.validUntil) {
            throw new LeaseLost(`lease ${name} was not renewed within ${ttlMs} ms`);
          }
        },
        lost: (reason) => lose(name, reason),
      }),
    };
    held.set(name, entry);
    logger.info('lease taken: running the processor', { processor: name, fence: lease.token });
    entry.runner.start();
  }

  /**
   * Member leases of workers gone for long (killed, or a default id that is never reused) are
   * deleted, so the leases read on every heartbeat do not grow with every restart. Processor
   * leases are never deleted: their tokens must only grow.
   */
  async function forgetDeadMembers(all: readonly Lease[]): Promise<void> {
    const longAgo = Date.now() - DEAD_MEMBER_AFTER_TTLS * ttlMs;
    for (const lease of all) {
      if (isMemberLease(lease.name) && Date.parse(lease.expiresAt) < longAgo) {
        await store.dropLease(lease.name, DEAD_MEMBER_AFTER_TTLS * ttlMs);
      }
    }
  }

  async function tick(): Promise<void> {
    const asked = performance.now();
    await store.acquireLease({ name: memberLeaseName(me), owner: me, ttlMs });
    for (const [name, entry] of held) {
      if (entry.phase === 'released') continue;
      const lease = await store.acquireLease({ name, owner: me, ttlMs });
      if (lease === null || lease.token !== entry.lease.token) {
        lose(name, 'taken by another worker (this one was paused or cut off too long)');
        continue;
      }
      entry.lease = lease;
      entry.validUntil = asked + ttlMs;
    }
    leases = await store.leases();
    await forgetDeadMembers(leases);
    const plan = planLeases({ processors: deps.processors, me, leases, now: Date.now(), ttlMs });
    for (const name of plan.give) handOver(name);
    // Ours in the store but not running here: a runner that ended, or this worker restarted.
    const adopt = leases.filter(
      (lease) =>
        lease.owner === me && deps.processors.includes(lease.name) && !held.has(lease.name),
    );
    for (const name of [...plan.take, ...adopt.map((lease) => lease.name)]) {
      if (held.has(name) || plan.give.includes(name)) continue;
      const lease = await store.acquireLease({ name, owner: me, ttlMs });
      if (lease) start(name, lease, asked + ttlMs);
    }
  }

  return {
    tick,
    held,
    view: () => leases,
    async releaseAll() {
      const entries = [...held.entries()];
      await Promise.all(entries.map(([, entry]) => entry.runner.stop()));
      await Promise.all([...stopping]);
      for (const [name] of entries) await store.releaseLease(name, me);
      await store.releaseLease(memberLeaseName(me), me);
      await store.dropLease(memberLeaseName(me), 0);
      held.clear();
    },
  };
}
