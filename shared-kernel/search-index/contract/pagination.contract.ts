import { expect } from 'chai';
import type { SearchIndex } from '../port';
import {
  allPages,
  catalogue,
  expectedOrder,
  liveIndex,
  productDeclaration,
  uniqueIndexName,
  upsert,
  type ContractSubject,
  type OpenSubject,
} from './contract.fixtures';

/** Cursor pagination through a few hundred documents full of ties: nothing skipped or repeated. */
export function describePaginationContract(open: () => OpenSubject): void {
  describe('cursor pagination', () => {
    let subject: ContractSubject;
    let index: SearchIndex;
    let name: string;
    const items = catalogue(307);

    before(async () => {
      name = uniqueIndexName();
      subject = await open()(productDeclaration(name));
      index = subject.index;
      await liveIndex(index, name);
      await index.bulk(
        name,
        items.map((item, i) => upsert(item.id, i + 1, item.doc)),
      );
    });
    after(async () => subject?.dispose());

    for (const order of ['asc', 'desc'] as const) {
      it(`walks a price ${order} sort in the order of price then id`, async () => {
        const walk = await allPages(index, name, {
          sort: { kind: 'field', field: 'price', order },
          limit: 25,
        });
        expect(walk.ids).to.deep.equal(expectedOrder(items, (doc) => doc.price, order));
        expect(walk.pages).to.equal(Math.ceil(items.length / 25));
        expect(new Set(walk.totals)).to.deep.equal(new Set([items.length]));
      });
    }

    it('walks a date sort with filters, total matching the walk', async () => {
      const inStock = items.filter((item) => item.doc.inStock && item.doc.category === 'books');
      const walk = await allPages(index, name, {
        filters: [
          { kind: 'term', field: 'inStock', value: true },
          { kind: 'term', field: 'category', value: 'books' },
        ],
        sort: { kind: 'field', field: 'updatedAt', order: 'desc' },
        limit: 7,
      });
      expect(walk.ids).to.deep.equal(
        expectedOrder(inStock, (doc) => Date.parse(doc.updatedAt), 'desc'),
      );
      expect(walk.totals[0]).to.equal(inStock.length);
    });

    it('walks relevance order over equal scores without loss', async () => {
      const matching = items.filter((item) => item.doc.description.includes('warm'));
      const walk = await allPages(index, name, { q: 'reading light', limit: 10 });
      expect([...walk.ids].sort()).to.deep.equal(matching.map((item) => item.id).sort());
      expect(new Set(walk.ids).size).to.equal(walk.ids.length);
      expect(walk.totals[0]).to.equal(matching.length);
    });

    it('walks everything by id when there is no text', async () => {
      const walk = await allPages(index, name, { limit: 100 });
      expect(walk.ids).to.deep.equal(items.map((item) => item.id).sort());
      expect(walk.pages).to.equal(4);
    });

    it('ends with a null cursor exactly on a full last page', async () => {
      const walk = await allPages(index, name, {
        filters: [{ kind: 'term', field: 'category', value: 'toys' }],
        limit: items.filter((item) => item.doc.category === 'toys').length,
      });
      expect(walk.pages).to.equal(1);
    });
  });
}
