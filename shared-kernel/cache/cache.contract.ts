import { expect } from 'chai';
import type { Cache } from './port';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * What every Cache adapter guarantees. `open` gives a fresh, empty-looking cache for each test
 * (adapters sharing a server use a unique key prefix); the suite closes it afterwards.
 */
export function describeCacheContract(open: () => Promise<Cache>): void {
  let cache: Cache;
  beforeEach(async () => {
    cache = await open();
  });
  afterEach(async () => {
    await cache.close();
  });

  it('answers null for a key never set', async () => {
    expect(await cache.get('never-set')).to.equal(null);
  });

  it('returns what was set, byte for byte, and keeps keys apart', async () => {
    const value = JSON.stringify({ text: 'café ☕ 𝄞 \u0000 "quoted"', n: 1 });
    await cache.set('a', value, 60_000);
    await cache.set('a:b', 'other', 60_000);
    expect(await cache.get('a')).to.equal(value);
    expect(await cache.get('a:b')).to.equal('other');
    expect(await cache.get('a:')).to.equal(null);
  });

  it('replaces a value on set', async () => {
    await cache.set('k', 'first', 60_000);
    await cache.set('k', 'second', 60_000);
    expect(await cache.get('k')).to.equal('second');
  });

  it('forgets an entry once its TTL has passed', async () => {
    await cache.set('short', 'v', 80);
    await cache.set('long', 'v', 60_000);
    expect(await cache.get('short')).to.equal('v');
    await sleep(200);
    expect(await cache.get('short')).to.equal(null);
    expect(await cache.get('long')).to.equal('v');
  });

  it('setIfAbsent stores only the first value', async () => {
    expect(await cache.setIfAbsent('once', 'first', 60_000)).to.equal(true);
    expect(await cache.setIfAbsent('once', 'second', 60_000)).to.equal(false);
    expect(await cache.get('once')).to.equal('first');
  });

  it('setIfAbsent succeeds again after the entry expired or was deleted', async () => {
    expect(await cache.setIfAbsent('lapse', 'first', 80)).to.equal(true);
    await sleep(200);
    expect(await cache.setIfAbsent('lapse', 'second', 60_000)).to.equal(true);
    expect(await cache.get('lapse')).to.equal('second');
    await cache.delete('lapse');
    expect(await cache.setIfAbsent('lapse', 'third', 60_000)).to.equal(true);
  });

  it('setIfAbsent lets exactly one of many concurrent callers win', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 25 }, (_, i) => cache.setIfAbsent('race', `caller-${i}`, 60_000)),
    );
    expect(outcomes.filter(Boolean)).to.have.length(1);
    const winner = outcomes.indexOf(true);
    expect(await cache.get('race')).to.equal(`caller-${winner}`);
  });

  it('delete removes the entry, and deleting a missing key is fine', async () => {
    await cache.set('gone', 'v', 60_000);
    await cache.delete('gone');
    await cache.delete('never-there');
    expect(await cache.get('gone')).to.equal(null);
  });

  it('keeps a 100 KB value intact', async () => {
    const big = 'x'.repeat(100 * 1024);
    await cache.set('big', big, 60_000);
    expect(await cache.get('big')).to.equal(big);
  });

  it('refuses a TTL that is not a positive integer', async () => {
    for (const ttl of [0, -1, 1.5, Number.NaN]) {
      let failure: unknown;
      await cache.set('t', 'v', ttl).catch((error: unknown) => (failure = error));
      expect(failure, `ttl ${ttl}`).to.be.instanceOf(RangeError);
    }
    expect(await cache.get('t')).to.equal(null);
  });

  it('answers ping', async () => {
    await cache.ping();
  });
}
