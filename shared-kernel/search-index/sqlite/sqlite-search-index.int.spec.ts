import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StoreError } from '../../errors';
import { describeSearchIndexContract } from '../contract/search-index.contract';
import { liveIndex, product, productDeclaration, upsert } from '../contract/contract.fixtures';
import { openSqliteSearchIndex } from './sqlite-search-index';

describe('SQLite FTS5 SearchIndex', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'strata-search-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  describeSearchIndexContract(() => async (declaration) => {
    const file = join(dir, `${declaration.name}.db`);
    const index = openSqliteSearchIndex({ file, declarations: [declaration] });
    return {
      index,
      async dispose() {
        await index.close();
        rmSync(file, { force: true });
      },
    };
  });

  describe('its own file', () => {
    it('names the file when it cannot be opened', () => {
      const notADatabase = join(dir, 'garbage.db');
      writeFileSync(notADatabase, 'this is not a SQLite database, just text'.repeat(50));
      const open = () =>
        openSqliteSearchIndex({ file: notADatabase, declarations: [productDeclaration('p')] });
      expect(open).to.throw(StoreError, notADatabase);
      const inAFile = join(notADatabase, 'search.db');
      expect(() =>
        openSqliteSearchIndex({ file: inAFile, declarations: [productDeclaration('p')] }),
      ).to.throw(StoreError, inAFile);
    });

    it('keeps targets, alias and documents across a reopen', async () => {
      const file = join(dir, 'reopen.db');
      const declarations = [productDeclaration('products')];
      const first = openSqliteSearchIndex({ file, declarations });
      const target = await liveIndex(first, 'products');
      await first.bulk('products', [upsert('a', 2, product({ name: 'Kept lamp' }))]);
      await first.close();
      const second = openSqliteSearchIndex({ file, declarations });
      expect((await second.aliasState('products')).live).to.equal(target);
      expect((await second.search('products', { q: 'lamp' })).hits.map((h) => h.id)).to.deep.equal([
        'a',
      ]);
      const late = await second.bulk('products', [upsert('a', 1, product())]);
      expect(late).to.deep.equal({ applied: 0, ignored: 1 });
      await second.close();
    });

    it('searches a target whose name was used by one it dropped, never the old one', async () => {
      const index = openSqliteSearchIndex({
        file: ':memory:',
        declarations: [productDeclaration('p')],
      });
      await liveIndex(index, 'p');
      const first = await index.createTarget('p');
      await index.bulk(first, [upsert('a', 1, product({ name: 'Oak lamp' }))]);
      await index.swapAlias('p', first);
      expect((await index.search('p', { q: 'lamp' })).hits.map((h) => h.id)).to.deep.equal(['a']);
      await index.rollback('p');
      await index.dropTarget(first);
      const second = await index.createTarget('p');
      expect(second).to.equal(first);
      await index.bulk(second, [upsert('b', 1, product({ name: 'Steel lamp', price: 7 }))]);
      await index.swapAlias('p', second);
      const page = await index.search('p', {
        q: 'lamp',
        facets: [{ kind: 'terms', field: 'category' }],
      });
      expect(page.hits.map((h) => h.id)).to.deep.equal(['b']);
      expect(page.hits[0]?.doc.price).to.equal(7);
      expect(page.total).to.equal(1);
      await index.close();
    });

    it('refuses a live target built for another declaration, naming what to do', async () => {
      const file = join(dir, 'changed.db');
      const before = openSqliteSearchIndex({ file, declarations: [productDeclaration('items')] });
      await liveIndex(before, 'items');
      await before.close();
      const changed = productDeclaration('items');
      const after = openSqliteSearchIndex({
        file,
        declarations: [
          { ...changed, fields: [...changed.fields, { name: 'brand', type: 'keyword' }] },
        ],
      });
      const error = await after.search('items', {}).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(StoreError);
      expect((error as Error).message).to.match(/another declaration.*rebuild/);
      const target = await after.createTarget('items');
      await after.swapAlias('items', target);
      expect((await after.search('items', {})).total).to.equal(0);
      await after.close();
    });
  });
});
