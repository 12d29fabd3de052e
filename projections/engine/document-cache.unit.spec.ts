import { expect } from 'chai';
import { documentCache } from './document-cache';
import { docKey } from './projection';

const write = (id: string, count: number | null) => ({
  collection: 'counters',
  id,
  doc: count === null ? null : { id, count },
});
const key = (id: string) => docKey('counters', id);

describe('a rebuild document cache', () => {
  it('answers what it was told, null for a known absence, undefined for what it never saw', () => {
    const cache = documentCache(10);
    cache.remember([write('a', 1), write('b', null)]);
    expect(cache.get(key('a'))).to.deep.equal({ id: 'a', count: 1 });
    expect(cache.get(key('b'))).to.equal(null);
    expect(cache.get(key('c'))).to.equal(undefined);
    cache.remember([write('a', 2)]);
    expect(cache.get(key('a'))).to.deep.equal({ id: 'a', count: 2 });
  });

  it('keeps at most its capacity, forgetting first what it learned of first', () => {
    const cache = documentCache(2);
    cache.remember([write('a', 1), write('b', 1)]);
    cache.remember([write('a', 2), write('c', 1)]);
    expect(['a', 'b', 'c'].map((id) => cache.get(key(id)) !== undefined)).to.deep.equal([
      false,
      true,
      true,
    ]);
    cache.remember([write('d', 1), write('e', 1), write('f', 1)]);
    expect(['b', 'c', 'd', 'e', 'f'].map((id) => cache.get(key(id)) !== undefined)).to.deep.equal([
      false,
      false,
      false,
      true,
      true,
    ]);
  });
});
