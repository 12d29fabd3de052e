import { expect } from 'chai';
import type { IdempotencyStore } from './port';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const DAY = 24 * 60 * 60 * 1000;

/**
 * What every IdempotencyStore adapter guarantees. `open` gives a store that looks empty for each
 * test and, called twice in one test, two handles on the same storage (two processes, or two
 * instances on one Redis); the suite closes what it opened.
 */
export function describeIdempotencyStoreContract(
  open: () => Promise<{ store(): Promise<IdempotencyStore> }>,
) {
  let opened: IdempotencyStore[];
  let storage: { store(): Promise<IdempotencyStore> };
  const store = async () => {
    const handle = await storage.store();
    opened.push(handle);
    return handle;
  };
  beforeEach(async () => {
    opened = [];
    storage = await open();
  });
  afterEach(async () => {
    for (const handle of opened) await handle.close();
  });

  it('the first claim stores; later claims are told what the key holds', async () => {
    const s = await store();
    expect(await s.claim('k', 'claim-1', 60_000)).to.equal(null);
    expect(await s.claim('k', 'claim-2', 60_000)).to.equal('claim-1');
    expect(await s.claim('other', 'claim-3', 60_000)).to.equal(null);
  });

  it('complete replaces the claim with the answer, byte for byte', async () => {
    const s = await store();
    const answer = JSON.stringify({ text: 'café ☕ 𝄞 "quoted"', big: 'x'.repeat(64 * 1024) });
    await s.claim('k', 'claim', 60_000);
    await s.complete('k', answer, DAY);
    expect(await s.claim('k', 'again', 60_000)).to.equal(answer);
  });

  it('release deletes only the claim it names, never an answer or another claim', async () => {
    const s = await store();
    await s.claim('k', 'mine', 60_000);
    await s.release('k', 'not-mine');
    expect(await s.claim('k', 'x', 60_000)).to.equal('mine');
    await s.release('k', 'mine');
    expect(await s.claim('k', 'next', 60_000)).to.equal(null);
    await s.complete('k', 'answer', DAY);
    await s.release('k', 'next');
    expect(await s.claim('k', 'y', 60_000)).to.equal('answer');
    await s.release('never-there', 'z');
  });

  it('a record expires by time: the key can be claimed again once its TTL passed', async () => {
    const s = await store();
    await s.claim('short', 'first', 80);
    await s.claim('long', 'first', 60_000);
    await sleep(250);
    expect(await s.claim('short', 'second', 60_000)).to.equal(null);
    expect(await s.claim('long', 'second', 60_000)).to.equal('first');
  });

  it('of many concurrent claims on two handles exactly one wins, and both see it', async () => {
    const [a, b] = [await store(), await store()];
    const outcomes = await Promise.all(
      Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).claim('race', `caller-${i}`, 60_000)),
    );
    const winners = outcomes.flatMap((held, i) => (held === null ? [i] : []));
    expect(winners).to.have.length(1);
    for (const held of outcomes) if (held !== null) expect(held).to.equal(`caller-${winners[0]}`);
    await a.complete('race', 'answer', DAY);
    expect(await b.claim('race', 'late', 60_000)).to.equal('answer');
  });

  it('refuses a TTL that is not a positive integer', async () => {
    const s = await store();
    for (const ttl of [0, -1, 1.5, Number.NaN]) {
      let failure: unknown;
      await s.claim('t', 'v', ttl).catch((error: unknown) => (failure = error));
      expect(failure, `ttl ${ttl}`).to.be.instanceOf(RangeError);
    }
    expect(await s.claim('t', 'v', 60_000)).to.equal(null);
  });

  it('answers ping', async () => {
    await (await store()).ping();
  });
}
