import { expect } from 'chai';
import fc from 'fast-check';
import { allPages, position, product, productDeclaration } from '../contract/contract.fixtures';
import type { SearchIndex } from '../port';
import { openSqliteSearchIndex } from './sqlite-search-index';

/** Words whose Porter stems are themselves and distinct, so "contains the term" is plain. */
const WORDS = ['oak', 'red', 'lamp', 'desk', 'mug', 'rug', 'cup', 'pot', 'box', 'fan', 'tin'];

const text = (maxWords: number) =>
  fc.array(fc.constantFrom(...WORDS), { maxLength: maxWords }).map((words) => words.join(' '));
const catalogue = fc.array(fc.record({ name: text(12), description: text(40) }), {
  minLength: 1,
  maxLength: 25,
});

describe('SQLite search relevance, for any catalogue', () => {
  let index: SearchIndex;
  before(() => {
    index = openSqliteSearchIndex({ file: ':memory:', declarations: [productDeclaration('p')] });
  });
  after(() => index.close());

  /** A fresh live target holding exactly `items` (the previous one is dropped). */
  async function load(items: Array<{ name: string; description: string }>): Promise<void> {
    const target = await index.createTarget('p');
    const ops = items.map((item, i) => ({
      op: 'upsert' as const,
      id: `p-${String(i).padStart(2, '0')}`,
      version: position(i + 1),
      doc: product(item),
    }));
    await index.bulk(target, ops);
    await index.swapAlias('p', target);
    const { previous } = await index.aliasState('p');
    if (previous) await index.dropTarget(previous);
  }

  it('scores each field by BM25 over its own length, the best field of each word counting', async () => {
    await load([
      { name: 'lamp', description: 'oak' },
      { name: 'red lamp oak', description: '' },
      { name: 'oak', description: 'lamp lamp red' },
    ]);
    const scores = async (q: string) =>
      Object.fromEntries((await index.search('p', { q })).hits.map((hit) => [hit.id, hit.score]));
    // lamp: in 2 names and 1 description of 3 documents, so idf = ln(1 + 1.5 / 2.5).
    const idf = Math.log(1.6);
    const tfn = (tf: number, length: number, average: number) =>
      tf / (tf + 1.2 * (0.25 + (0.75 * length) / average));
    const weight = (boost: number, value: number) => boost * idf * (0.5 + value / 2);
    const lamp = await scores('lamp');
    expect(lamp['p-00']).to.be.closeTo(weight(3, tfn(1, 1, 5 / 3)), 1e-9);
    expect(lamp['p-01']).to.be.closeTo(weight(3, tfn(1, 3, 5 / 3)), 1e-9);
    // The average description counts only the descriptions with a word: (1 + 3) / 2.
    expect(lamp['p-02']).to.be.closeTo(weight(1, tfn(2, 3, 2)), 1e-9);
    // Two words add up; "oak" in p-02 counts once, in its name (3x) rather than its description.
    const both = await scores('lamp oak');
    expect(Object.keys(both)).to.have.members(['p-00', 'p-01', 'p-02']);
    expect(both['p-02']).to.be.above(lamp['p-02'] as number);
  });

  it('finds a chunk of several words as a phrase, counting each occurrence', async () => {
    await load([
      { name: 'Cotton T-Shirt', description: 't-shirt, a t shirt' },
      { name: 'Shirt with a T', description: '' },
      { name: 'Tee', description: 'shirt t shirt' },
    ]);
    const page = await index.search('p', { q: 't-shirt' });
    expect(page.hits.map((hit) => hit.id)).to.deep.equal(['p-00', 'p-02']);
    expect((await index.search('p', { q: 'T-SHIRT cotton' })).total).to.equal(1);
  });

  it('ranks every product with the term in its name above every one with it only in its description', async () => {
    await fc.assert(
      fc.asyncProperty(catalogue, fc.constantFrom(...WORDS), async (items, term) => {
        await load(items);
        const has = (value: string) => value.split(' ').includes(term);
        const inName = new Set<string>();
        const onlyInDescription = new Set<string>();
        items.forEach((item, i) => {
          const id = `p-${String(i).padStart(2, '0')}`;
          if (has(item.name)) inName.add(id);
          else if (has(item.description)) onlyInDescription.add(id);
        });
        const { ids, totals } = await allPages(index, 'p', { q: term, limit: 7 });
        expect(totals[0]).to.equal(inName.size + onlyInDescription.size);
        expect(new Set(ids)).to.deep.equal(new Set([...inName, ...onlyInDescription]));
        const firstDescriptionOnly = ids.findIndex((id) => onlyInDescription.has(id));
        if (firstDescriptionOnly >= 0) {
          expect(ids.slice(firstDescriptionOnly).filter((id) => inName.has(id))).to.deep.equal([]);
        }
      }),
      { numRuns: 150 },
    );
  });
});
