import { expect } from 'chai';
import { ValidationError } from '../../errors';
import type { SearchIndex } from '../port';
import { indexHolding, product, type ContractSubject, type OpenSubject } from './contract.fixtures';

/** Plain-text queries, ranking, filters and facets over a small hand-made catalogue. */
export function describeQueryContract(open: () => OpenSubject): void {
  describe('text queries, filters and facets', () => {
    let subject: ContractSubject & { name: string };
    let index: SearchIndex;
    let name: string;
    const docs = {
      lamp: product({ name: 'Desk lamp', description: 'An adjustable arm', price: 2500 }),
      chair: product({
        name: 'Office chair',
        description: 'Pairs well with a lamp',
        category: 'furniture',
        price: 9900,
        inStock: false,
      }),
      near: product({ name: 'Near field speaker', description: 'Or near and far', price: 4000 }),
      cafe: product({ name: 'Café table', category: 'furniture', price: 15000 }),
      shirts: product({ name: 'Cotton shirts', category: 'clothing', price: 1999 }),
      dated: product({ name: 'Old stock', price: 100, updatedAt: '2024-06-01T12:00:00.000Z' }),
    };
    const ids = (page: { hits: Array<{ id: string }> }) => page.hits.map((hit) => hit.id);

    before(async () => {
      subject = await indexHolding(open(), docs);
      ({ index, name } = subject);
    });
    after(async () => subject?.dispose());

    it('ranks a match in the name above a match only in the description', async () => {
      const page = await index.search(name, { q: 'lamp' });
      expect(ids(page)).to.deep.equal(['lamp', 'chair']);
      expect(page.total).to.equal(2);
      const [first, second] = page.hits;
      expect(first?.score)
        .to.be.a('number')
        .greaterThan(second?.score ?? Infinity);
    });

    it('requires every word, in any field', async () => {
      expect(ids(await index.search(name, { q: 'office lamp' }))).to.deep.equal(['chair']);
      expect(ids(await index.search(name, { q: 'office sofa' }))).to.deep.equal([]);
    });

    it('treats query syntax as plain text', async () => {
      const hostile = `" OR * NEAR( - : ( ) ^ AND`;
      expect(ids(await index.search(name, { q: hostile }))).to.deep.equal(['near']);
      expect(ids(await index.search(name, { q: 'NEAR(' }))).to.deep.equal(['near']);
      expect(ids(await index.search(name, { q: 'lamp OR chair' }))).to.deep.equal([]);
      const punctuation = await index.search(name, { q: '*' });
      expect(punctuation.total).to.equal(0);
      expect(ids(await index.search(name, { q: '"desk' }))).to.deep.equal(['lamp']);
      expect(ids(await index.search(name, { q: 'desk*' }))).to.deep.equal(['lamp']);
    });

    it('folds diacritics and stems plurals', async () => {
      expect(ids(await index.search(name, { q: 'cafe' }))).to.deep.equal(['cafe']);
      expect(ids(await index.search(name, { q: 'CAFÉ' }))).to.deep.equal(['cafe']);
      expect(ids(await index.search(name, { q: 'shirt' }))).to.deep.equal(['shirts']);
    });

    it('filters by term and range, with text or without', async () => {
      const furniture = await index.search(name, {
        filters: [{ kind: 'term', field: 'category', value: 'furniture' }],
      });
      expect(ids(furniture)).to.deep.equal(['cafe', 'chair']);
      const inStock = await index.search(name, {
        q: 'lamp',
        filters: [{ kind: 'term', field: 'inStock', value: true }],
      });
      expect(ids(inStock)).to.deep.equal(['lamp']);
      const midPrice = await index.search(name, {
        filters: [{ kind: 'range', field: 'price', gte: 2500, lt: 9900 }],
      });
      expect(ids(midPrice)).to.deep.equal(['lamp', 'near']);
      const exclusive = await index.search(name, {
        filters: [{ kind: 'range', field: 'price', gt: 2500, lte: 9900 }],
      });
      expect(ids(exclusive)).to.deep.equal(['chair', 'near']);
      const before2025 = await index.search(name, {
        filters: [{ kind: 'range', field: 'updatedAt', lt: '2025-01-01T00:00:00Z' }],
      });
      expect(ids(before2025)).to.deep.equal(['dated']);
    });

    it('sorts by a number field both ways', async () => {
      const asc = await index.search(name, {
        sort: { kind: 'field', field: 'price', order: 'asc' },
      });
      expect(ids(asc)).to.deep.equal(['dated', 'shirts', 'lamp', 'near', 'chair', 'cafe']);
      const desc = await index.search(name, {
        q: 'lamp',
        sort: { kind: 'field', field: 'price', order: 'desc' },
      });
      expect(ids(desc)).to.deep.equal(['chair', 'lamp']);
    });

    it('counts facets over the whole match, not the page', async () => {
      const page = await index.search(name, {
        limit: 1,
        facets: [
          { kind: 'terms', field: 'category' },
          { kind: 'range', field: 'price', ranges: [{ to: 2000 }, { from: 2000, to: 10000 }] },
        ],
      });
      expect(page.total).to.equal(6);
      expect(page.hits).to.have.length(1);
      expect(page.facets.category).to.deep.equal([
        { value: 'misc', count: 3 },
        { value: 'furniture', count: 2 },
        { value: 'clothing', count: 1 },
      ]);
      expect(page.facets.price).to.deep.equal([
        { from: null, to: 2000, count: 2 },
        { from: 2000, to: 10000, count: 3 },
      ]);
    });

    it('rejects unknown fields, wrong value types and foreign cursors by name', async () => {
      const failure = (query: Parameters<SearchIndex['search']>[1]) =>
        index.search(name, query).then(
          () => [],
          (e: unknown) => (e instanceof ValidationError ? e.errors.map((x) => x.field) : [e]),
        );
      expect(
        await failure({ filters: [{ kind: 'term', field: 'colour', value: 'red' }] }),
      ).to.deep.equal(['filters[0].field']);
      expect(
        await failure({ filters: [{ kind: 'term', field: 'price', value: 'cheap' }] }),
      ).to.deep.equal(['filters[0].value']);
      expect(
        await failure({ sort: { kind: 'field', field: 'category', order: 'asc' } }),
      ).to.deep.equal(['sort.field']);
      expect(await failure({ limit: 0 })).to.deep.equal(['limit']);
      expect(await failure({ cursor: 'bm90IGEgY3Vyc29y' })).to.deep.equal(['cursor']);
      const page = await index.search(name, { limit: 1 });
      const foreign = page.nextCursor ?? '';
      expect(
        await failure({ cursor: foreign, sort: { kind: 'field', field: 'price', order: 'asc' } }),
      ).to.deep.equal(['cursor']);
    });
  });
}
