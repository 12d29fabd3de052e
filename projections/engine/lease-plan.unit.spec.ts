import { expect } from 'chai';
import type { Lease } from '../../shared-kernel/document-store/port';
import { memberLeaseName, planLeases } from './lease-plan';

const NOW = Date.parse('2026-12-01T12:00:00Z');
const TTL = 5_000;
const PROCESSORS = [
  'audit',
  'fulfillment-saga',
  'inventory',
  'kafka-mirror',
  'orders',
  'products',
  'product-search',
];

function lease(name: string, owner: string | null, expiresInMs: number, token = 1): Lease {
  const at = new Date(NOW - 1000).toISOString();
  return {
    name,
    owner,
    token,
    acquiredAt: at,
    renewedAt: at,
    expiresAt: new Date(NOW + expiresInMs).toISOString(),
  };
}
const member = (worker: string, expiresInMs = TTL) =>
  lease(memberLeaseName(worker), worker, expiresInMs);

/** Runs the plan of each worker in turn, applying it to a shared lease table, until nothing moves. */
function settle(
  workers: string[],
  table: Map<string, Lease>,
  processors: readonly string[] = PROCESSORS,
): Map<string, string> {
  for (const w of workers) table.set(memberLeaseName(w), member(w));
  for (let round = 0; round < 10; round++) {
    let moved = false;
    for (const me of workers) {
      const plan = planLeases({
        processors,
        me,
        leases: [...table.values()],
        now: NOW,
        ttlMs: TTL,
      });
      for (const name of plan.give) {
        table.set(name, lease(name, null, -1, table.get(name)!.token));
        moved = true;
      }
      for (const name of plan.take) {
        const current = table.get(name);
        table.set(name, lease(name, me, TTL, (current?.token ?? 0) + 1));
        moved = true;
      }
    }
    if (!moved) break;
  }
  const owners = new Map<string, string>();
  for (const name of processors) owners.set(name, table.get(name)?.owner ?? 'nobody');
  return owners;
}

const counts = (owners: Map<string, string>) => {
  const byWorker = new Map<string, number>();
  for (const owner of owners.values()) byWorker.set(owner, (byWorker.get(owner) ?? 0) + 1);
  return byWorker;
};

describe('lease plan: one owner per processor, balanced within one', () => {
  it('gives a lone worker every processor, free or orphaned', () => {
    const plan = planLeases({ processors: PROCESSORS, me: 'w1', leases: [], now: NOW, ttlMs: TTL });
    expect(plan.quota).to.equal(7);
    expect([...plan.take].sort()).to.deep.equal([...PROCESSORS].sort());
    expect(plan.give).to.deep.equal([]);
  });

  it('spreads 7 processors over 3 workers as 3, 2, 2, every processor owned once', () => {
    const owners = settle(['w1', 'w2', 'w3'], new Map());
    expect([...owners.values()]).to.not.include('nobody');
    expect([...counts(owners).values()].sort()).to.deep.equal([2, 2, 3]);
  });

  it('moves processors back to a worker that joins, and only as many as the quotas need', () => {
    const table = new Map<string, Lease>();
    const alone = settle(['w1'], table);
    expect(counts(alone).get('w1')).to.equal(7);
    const joined = settle(['w1', 'w2'], table);
    expect([...counts(joined).values()].sort()).to.deep.equal([3, 4]);
    const moved = PROCESSORS.filter((name) => alone.get(name) !== joined.get(name));
    expect(moved).to.have.length(counts(joined).get('w2')!);
  });

  it('does not count a member whose lease expired, and takes over what it held', () => {
    const table = new Map<string, Lease>();
    settle(['w1', 'w2', 'w3'], table);
    table.set(memberLeaseName('w3'), member('w3', -1));
    for (const [name, held] of table)
      if (held.owner === 'w3')
        table.set(name, { ...held, expiresAt: new Date(NOW - 1).toISOString() });
    const owners = settle(['w1', 'w2'], table);
    expect([...owners.values()])
      .to.not.include('w3')
      .and.not.include('nobody');
    expect([...counts(owners).values()].sort()).to.deep.equal([3, 4]);
  });

  it('does not take a processor another live worker holds, whatever its own quota', () => {
    const leases = [member('w2'), ...PROCESSORS.map((name) => lease(name, 'w2', TTL))];
    const plan = planLeases({ processors: PROCESSORS, me: 'w1', leases, now: NOW, ttlMs: TTL });
    expect(plan.take).to.deep.equal([]);
    expect(plan.quota).to.be.within(3, 4);
  });

  it('takes a processor left free for longer than a lease time even beyond its quota', () => {
    const leases = [member('w2'), lease('orders', null, -(TTL + 1))];
    const plan = planLeases({
      processors: ['orders', 'products'],
      me: 'w1',
      leases,
      now: NOW,
      ttlMs: TTL,
    });
    expect(plan.take).to.include('orders');
  });

  it('spreads the partitions of one processor over the workers as they join', () => {
    const partitions = ['orders:1-of-4', 'orders:2-of-4', 'orders:3-of-4', 'orders:4-of-4'];
    const processors = ['audit', 'inventory', ...partitions, 'products', 'product-search'];
    const table = new Map<string, Lease>();
    const workers = ['w1'];
    settle(workers, table, processors);
    for (const [joining, each] of [
      ['w2', 2],
      ['w3', 2],
      ['w4', 1],
    ] as const) {
      workers.push(joining);
      const owners = settle(workers, table, processors);
      const spread = workers.map((w) => partitions.filter((p) => owners.get(p) === w).length);
      expect(Math.max(...spread), `${workers.length} workers: ${spread.join(' ')}`).to.equal(each);
      expect(
        Math.max(...counts(owners).values()) - Math.min(...counts(owners).values()),
      ).to.be.at.most(1);
    }
  });
});
