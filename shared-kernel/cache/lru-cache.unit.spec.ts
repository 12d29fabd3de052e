import { expect } from 'chai';
import { describeCacheContract } from './cache.contract';
import { openLruCache } from './lru-cache';

describe('Cache contract: in-process LRU', () => {
  describeCacheContract(async () => openLruCache());

  it('evicts the least recently used entry beyond maxEntries', async () => {
    const cache = openLruCache({ maxEntries: 2 });
    await cache.set('a', '1', 60_000);
    await cache.set('b', '2', 60_000);
    await cache.get('a');
    await cache.set('c', '3', 60_000);
    expect(await cache.get('b')).to.equal(null);
    expect(await cache.get('a')).to.equal('1');
    expect(await cache.get('c')).to.equal('3');
  });

  it('bounds the total size held', async () => {
    const cache = openLruCache({ maxChars: 1000 });
    for (let i = 0; i < 50; i++) await cache.set(`k${i}`, 'v'.repeat(98), 60_000);
    let kept = 0;
    for (let i = 0; i < 50; i++) if ((await cache.get(`k${i}`)) !== null) kept++;
    expect(kept).to.be.at.most(10);
    expect(await cache.get('k49')).to.equal('v'.repeat(98));
  });
});
