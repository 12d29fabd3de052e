import { expect } from 'chai';
import type { SearchIndex, SearchPage } from '../port';
import {
  allPages,
  indexHolding,
  product,
  type ContractSubject,
  type OpenSubject,
} from './contract.fixtures';

/**
 * Relevance over a fixed catalogue: the order Elasticsearch's `multi_match` (`cross_fields`,
 * name^3 and description, every word required) gives, which the embedded adapter must match.
 * Ids are chosen so that id order differs from relevance order: a test passes only when the
 * ranking, not the tie-break, puts a product first.
 */
export const RELEVANCE_CATALOGUE = {
  'z-solo': product({ name: 'Headphones', description: 'Wired, over the ear', price: 500 }),
  'm-studio': product({
    name: 'Studio Headphones',
    description:
      'Closed back monitors with a coiled cable, velvet ear pads, a hard case and a spare cable for travel',
  }),
  'k-wireless': product({ name: 'Wireless headphones', description: 'Bluetooth, forty hours' }),
  'b-stand': product({ name: 'Desk stand', description: 'Holds headphones' }),
  'c-earbuds': product({ name: 'Wireless earbuds', description: 'Lighter than headphones' }),
  'd-cable': product({ name: 'Spare cable', description: 'Fits wireless headphones and speakers' }),
  'f-twin': product({ name: 'Headphones hook', description: 'Screws under a desk' }),
  'e-twin': product({ name: 'Headphones hook', description: 'Screws under a desk' }),
  'g-lamp': product({ name: 'Reading lamp', description: 'Warm light' }),
  'h-lamps': product({ name: 'Lamp shades', description: 'Linen, a set of two' }),
  'a-bulbs': product({ name: 'Bulbs', description: 'Spare bulbs for reading lamps' }),
};

export function describeRelevanceContract(open: () => OpenSubject): void {
  describe('relevance', () => {
    let subject: ContractSubject & { name: string };
    let index: SearchIndex;
    let name: string;
    const ids = (page: SearchPage) => page.hits.map((hit) => hit.id);
    const search = (q: string) => index.search(name, { q, limit: 100 });

    before(async () => {
      subject = await indexHolding(open(), RELEVANCE_CATALOGUE);
      ({ index, name } = subject);
    });
    after(async () => subject?.dispose());

    it('ranks every name match above every description-only match, however long the description', async () => {
      const page = await search('headphones');
      // The shortest name first; the four two-word names tie (each field is normalized by its
      // own length, so the long description of m-studio costs it nothing) and go by id.
      expect(ids(page)).to.deep.equal([
        'z-solo',
        'e-twin',
        'f-twin',
        'k-wireless',
        'm-studio',
        'b-stand',
        'c-earbuds',
        'd-cable',
      ]);
      const score = (id: string) => page.hits.find((hit) => hit.id === id)?.score;
      expect(score('m-studio')).to.be.a('number').and.equal(score('k-wireless'));
      expect(score('e-twin')).to.equal(score('f-twin'));
    });

    it('ranks a multi-word query by where each word is found, every word required', async () => {
      // Both words in the name, then one word in the name, then both only in the description.
      expect(ids(await search('wireless headphones'))).to.deep.equal([
        'k-wireless',
        'c-earbuds',
        'd-cable',
      ]);
      expect(ids(await search('headphones travel'))).to.deep.equal(['m-studio']);
      expect(ids(await search('wireless lamp'))).to.deep.equal([]);
    });

    it('stems plurals and singulars alike, and never matches a mere prefix', async () => {
      const lamps = ids(await search('lamps'));
      expect(lamps).to.deep.equal(ids(await search('lamp')));
      expect(lamps).to.deep.equal(['g-lamp', 'h-lamps', 'a-bulbs']);
      expect(ids(await search('headphone'))).to.deep.equal(ids(await search('headphones')));
      expect((await search('head')).total).to.equal(0);
      expect((await search('lam')).total).to.equal(0);
    });

    it('walks tied scores page by page in the same order as one page', async () => {
      const walk = await allPages(index, name, { q: 'headphones', limit: 3 });
      expect(walk.ids).to.deep.equal(ids(await search('headphones')));
      expect(walk.pages).to.equal(3);
    });

    it('keeps the order under a filter and counts the filtered matches', async () => {
      const page = await index.search(name, {
        q: 'headphones',
        filters: [{ kind: 'range', field: 'price', gte: 1000 }],
        facets: [{ kind: 'terms', field: 'category' }],
        limit: 2,
      });
      expect(ids(page)).to.deep.equal(['e-twin', 'f-twin']);
      expect(page.total).to.equal(7);
      expect(page.facets.category).to.deep.equal([{ value: 'misc', count: 7 }]);
    });
  });
}
