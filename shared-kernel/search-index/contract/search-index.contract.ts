import { expect } from 'chai';
import type { SearchIndex } from '../port';
import { describeAliasContract } from './aliases.contract';
import {
  liveIndex,
  product,
  productDeclaration,
  uniqueIndexName,
  upsert,
  type OpenSubject,
} from './contract.fixtures';
import { describePaginationContract } from './pagination.contract';
import { describeQueryContract } from './queries.contract';
import { describeRelevanceContract } from './relevance.contract';
import { describeWriteContract } from './writes.contract';

export type { ContractSubject, OpenSubject } from './contract.fixtures';

/**
 * The SearchIndex contract, written once and run against every adapter. `open` is called per
 * suite (after the adapter's spec has checked its server is there) and makes a fresh adapter
 * for a declaration whose name is unique to that suite.
 */
export function describeSearchIndexContract(open: () => OpenSubject): void {
  const reading = readingOwnWrites(open);
  describeWriteContract(reading);
  describeQueryContract(reading);
  describeRelevanceContract(reading);
  describePaginationContract(reading);
  describeAliasContract(reading);
  describe('visibility of writes', () => {
    it('shows a write once refresh has resolved (writes alone need not be visible yet)', async () => {
      const name = uniqueIndexName();
      const subject = await open()(productDeclaration(name));
      try {
        await liveIndex(subject.index, name);
        await subject.index.bulk(name, [upsert('seen', 1, product({ name: 'Visible lamp' }))]);
        await subject.index.refresh(name);
        const page = await subject.index.search(name, { q: 'visible' });
        expect(page.hits.map((hit) => hit.id)).to.deep.equal(['seen']);
      } finally {
        await subject.dispose();
      }
    });
  });
}

/**
 * The suites read back what they just wrote, as a query with `X-Min-Position` does: each write
 * through an index name is followed by `refresh` (a target being filled shows once swapped).
 */
function readingOwnWrites(open: () => OpenSubject): () => OpenSubject {
  return () => async (declaration) => {
    const subject = await open()(declaration);
    const { index } = subject;
    const reading: SearchIndex = {
      ...index,
      async bulk(target, ops) {
        const result = await index.bulk(target, ops);
        if (target === declaration.name) await index.refresh(target);
        return result;
      },
    };
    return { ...subject, index: reading };
  };
}
