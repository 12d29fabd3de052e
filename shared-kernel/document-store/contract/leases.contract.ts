import { expect } from 'chai';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConflictError, ValidationError } from '../../errors';
import type { DocumentStore } from '../port';
import { id, pos, product, products, rejectsWith, type OpenStore } from './contract.fixtures';

/** One owner per lease, tokens raised on every change of owner, and fenced commits. */
export function describeLeasesContract(open: OpenStore): void {
  let store: DocumentStore;
  let dispose: () => Promise<void>;
  beforeEach(async () => {
    ({ store, dispose } = await open());
    await store.ensureCollection(products);
  });
  afterEach(async () => dispose());

  const fencedBatch = (token: number, n: number, from: number | null) => ({
    writes: [{ collection: 'products', id: id(n), doc: product(n) }],
    checkpoint: { processor: 'products', position: pos(n) },
    expectedCheckpoint: from === null ? null : pos(from),
    fence: { name: 'products', token },
  });

  it('gives a free lease token 1, renews it for its owner only, and refuses others', async () => {
    const first = await store.acquireLease({ name: 'products', owner: 'w1', ttlMs: 60_000 });
    expect(first).to.include({ name: 'products', owner: 'w1', token: 1 });
    await sleep(5);
    const renewed = await store.acquireLease({ name: 'products', owner: 'w1', ttlMs: 60_000 });
    expect(renewed).to.include({ owner: 'w1', token: 1, acquiredAt: first?.acquiredAt });
    expect(Date.parse(renewed!.expiresAt)).to.be.greaterThan(Date.parse(first!.expiresAt));
    expect(await store.acquireLease({ name: 'products', owner: 'w2', ttlMs: 60_000 })).to.equal(
      null,
    );
    expect((await store.leases()).map((l) => [l.name, l.owner, l.token])).to.deep.equal([
      ['products', 'w1', 1],
    ]);
  });

  it('lets another owner take an expired lease with the next token; the old owner cannot renew', async () => {
    await store.acquireLease({ name: 'products', owner: 'w1', ttlMs: 50 });
    await sleep(120);
    const taken = await store.acquireLease({ name: 'products', owner: 'w2', ttlMs: 60_000 });
    expect(taken).to.include({ owner: 'w2', token: 2 });
    expect(await store.acquireLease({ name: 'products', owner: 'w1', ttlMs: 60_000 })).to.equal(
      null,
    );
  });

  it('hands a released lease to the next taker at once, with a new token', async () => {
    await store.acquireLease({ name: 'products', owner: 'w1', ttlMs: 60_000 });
    await store.releaseLease('products', 'w2'); // not its lease: nothing happens
    expect(await store.acquireLease({ name: 'products', owner: 'w2', ttlMs: 60_000 })).to.equal(
      null,
    );
    await store.releaseLease('products', 'w1');
    expect((await store.leases())[0]).to.include({ owner: null, token: 1 });
    const next = await store.acquireLease({ name: 'products', owner: 'w2', ttlMs: 60_000 });
    expect(next).to.include({ owner: 'w2', token: 2 });
  });

  it('drops a lease only once it has been expired long enough, and it then starts again at token 1', async () => {
    await store.acquireLease({ name: 'member:w1', owner: 'w1', ttlMs: 60_000 });
    await store.dropLease('member:w1', 0); // live: kept
    expect((await store.leases()).map((l) => l.name)).to.deep.equal(['member:w1']);
    await store.releaseLease('member:w1', 'w1');
    await store.dropLease('member:w1', 60_000); // released just now: kept
    expect(await store.leases()).to.have.length(1);
    await sleep(20);
    await store.dropLease('member:w1', 10);
    expect(await store.leases()).to.deep.equal([]);
    const again = await store.acquireLease({ name: 'member:w1', owner: 'w2', ttlMs: 60_000 });
    expect(again).to.include({ token: 1 });
  });

  it('lets exactly one of many simultaneous takers have a free lease', async () => {
    const owners = ['w1', 'w2', 'w3', 'w4', 'w5'];
    const taken = await Promise.all(
      owners.map((owner) => store.acquireLease({ name: 'orders', owner, ttlMs: 60_000 })),
    );
    expect(taken.filter((lease) => lease !== null)).to.have.length(1);
  });

  it('commits a fenced batch while the token holds, and refuses it, writing nothing, once taken over', async () => {
    await store.acquireLease({ name: 'products', owner: 'w1', ttlMs: 50 });
    await store.commitBatch(fencedBatch(1, 1, null));
    await sleep(120);
    await store.acquireLease({ name: 'products', owner: 'w2', ttlMs: 60_000 });
    const error = await rejectsWith(store.commitBatch(fencedBatch(1, 2, 1)), ConflictError);
    expect(error.rule).to.equal('lease-lost');
    expect(error.message).to.include('token 2');
    expect(await store.get('products', id(2))).to.equal(null);
    expect(await store.getCheckpoint('products')).to.equal(pos(1));
    await store.commitBatch(fencedBatch(2, 2, 1));
    expect(await store.getCheckpoint('products')).to.equal(pos(2));
  });

  it('refuses a fence on a lease that was released or never taken', async () => {
    const never = await rejectsWith(store.commitBatch(fencedBatch(1, 1, null)), ConflictError);
    expect(never.rule).to.equal('lease-lost');
    await store.acquireLease({ name: 'products', owner: 'w1', ttlMs: 60_000 });
    await store.releaseLease('products', 'w1');
    const released = await rejectsWith(store.commitBatch(fencedBatch(1, 1, null)), ConflictError);
    expect(released.rule).to.equal('lease-lost');
    expect(await store.getCheckpoint('products')).to.equal(null);
  });

  it('names the field of a bad lease request or fence', async () => {
    const ttl = await rejectsWith(
      store.acquireLease({ name: 'products', owner: 'w1', ttlMs: 0 }),
      ValidationError,
    );
    expect(ttl.message).to.include('ttlMs');
    const owner = await rejectsWith(
      store.acquireLease({ name: 'products', owner: 'a b', ttlMs: 10 }),
      ValidationError,
    );
    expect(owner.message).to.include('owner');
    const fence = await rejectsWith(store.commitBatch(fencedBatch(0, 1, null)), ValidationError);
    expect(fence.message).to.include('fence.token');
  });
}
