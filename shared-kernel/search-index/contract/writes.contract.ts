import { expect } from 'chai';
import { ValidationError } from '../../errors';
import type { SearchIndex } from '../port';
import {
  liveIndex,
  position,
  product,
  productDeclaration,
  uniqueIndexName,
  upsert,
  type ContractSubject,
  type OpenSubject,
} from './contract.fixtures';

/** Versioned, idempotent writes: nothing ever moves a document back to an older version. */
export function describeWriteContract(open: () => OpenSubject): void {
  describe('versioned writes', () => {
    let subject: ContractSubject;
    let index: SearchIndex;
    let name: string;
    beforeEach(async () => {
      name = uniqueIndexName();
      subject = await open()(productDeclaration(name));
      index = subject.index;
      await liveIndex(index, name);
    });
    afterEach(async () => subject?.dispose());

    const namesFound = async (q: string) =>
      (await index.search(name, { q })).hits.map((hit) => hit.doc.name);

    it('applies an upsert once: repeating it changes nothing', async () => {
      const op = upsert('a', 5, product({ name: 'Walnut desk' }));
      expect(await index.bulk(name, [op])).to.deep.equal({ applied: 1, ignored: 0 });
      expect(await index.bulk(name, [op])).to.deep.equal({ applied: 0, ignored: 1 });
      const page = await index.search(name, { q: 'walnut' });
      expect(page.total).to.equal(1);
      expect(page.hits[0]?.doc).to.deep.equal(product({ name: 'Walnut desk' }));
    });

    it('ignores an older version, applies a newer one', async () => {
      await index.bulk(name, [upsert('a', 10, product({ name: 'Walnut desk' }))]);
      const older = await index.bulk(name, [upsert('a', 9, product({ name: 'Oak desk' }))]);
      expect(older).to.deep.equal({ applied: 0, ignored: 1 });
      expect(await namesFound('desk')).to.deep.equal(['Walnut desk']);
      await index.bulk(name, [upsert('a', 11, product({ name: 'Birch desk' }))]);
      expect(await namesFound('desk')).to.deep.equal(['Birch desk']);
      expect(await namesFound('walnut')).to.deep.equal([]);
    });

    it('compares versions as numbers, whatever their width', async () => {
      await index.bulk(name, [{ op: 'upsert', id: 'a', version: 'ff', doc: product() }]);
      const result = await index.bulk(name, [
        { op: 'upsert', id: 'a', version: '00000000000000fe', doc: product({ name: 'Older' }) },
        { op: 'upsert', id: 'a', version: '100', doc: product({ name: 'Newer' }) },
      ]);
      expect(result).to.deep.equal({ applied: 1, ignored: 1 });
      expect(await namesFound('newer')).to.deep.equal(['Newer']);
    });

    it('applies the operations of one batch in order', async () => {
      const result = await index.bulk(name, [
        upsert('a', 3, product({ name: 'First draft' })),
        upsert('a', 2, product({ name: 'Stale draft' })),
        upsert('a', 4, product({ name: 'Final draft' })),
      ]);
      expect(result).to.deep.equal({ applied: 2, ignored: 1 });
      expect(await namesFound('draft')).to.deep.equal(['Final draft']);
    });

    it('deletes with a tombstone that an older upsert cannot resurrect', async () => {
      await index.bulk(name, [upsert('a', 5, product({ name: 'Walnut desk' }))]);
      const deleted = await index.bulk(name, [{ op: 'delete', id: 'a', version: position(7) }]);
      expect(deleted).to.deep.equal({ applied: 1, ignored: 0 });
      expect((await index.search(name, {})).total).to.equal(0);
      const late = await index.bulk(name, [upsert('a', 6, product({ name: 'Walnut desk' }))]);
      expect(late).to.deep.equal({ applied: 0, ignored: 1 });
      expect(await namesFound('walnut')).to.deep.equal([]);
      await index.bulk(name, [upsert('a', 8, product({ name: 'Walnut desk' }))]);
      expect(await namesFound('walnut')).to.deep.equal(['Walnut desk']);
    });

    it('keeps a tombstone for a document it never saw', async () => {
      await index.bulk(name, [{ op: 'delete', id: 'ghost', version: position(9) }]);
      const late = await index.bulk(name, [upsert('ghost', 8, product({ name: 'Ghost' }))]);
      expect(late).to.deep.equal({ applied: 0, ignored: 1 });
      expect((await index.search(name, {})).total).to.equal(0);
    });

    it('rejects a batch with a bad operation, naming it, and writes none of it', async () => {
      const error = await index
        .bulk(name, [
          upsert('good', 1, product({ name: 'Good one' })),
          { op: 'upsert', id: 'bad', version: 'not-hex', doc: product() },
          { op: 'upsert', id: 'worse', version: position(2), doc: { ...product(), price: '12' } },
          { op: 'upsert', id: 'big', version: '8000000000000000', doc: product() },
        ])
        .catch((e: unknown) => e);
      expect(error).to.be.instanceOf(ValidationError);
      const fields = (error as ValidationError).errors.map((e) => e.field);
      expect(fields).to.deep.equal(['ops[1].version', 'ops[2].doc.price', 'ops[3].version']);
      expect((await index.search(name, {})).total).to.equal(0);
    });

    it('requires sortable fields and checks field types', async () => {
      const { price: _price, ...noPrice } = product();
      const error = await index
        .bulk(name, [
          { op: 'upsert', id: 'a', version: position(1), doc: noPrice },
          { op: 'upsert', id: 'b', version: position(1), doc: { ...product(), updatedAt: 'soon' } },
        ])
        .catch((e: unknown) => e);
      expect(error).to.be.instanceOf(ValidationError);
      expect((error as ValidationError).errors.map((e) => e.field)).to.deep.equal([
        'ops[0].doc.price',
        'ops[1].doc.updatedAt',
      ]);
    });
  });
}
