import { expect } from 'chai';
import { ConflictError, NotFoundError } from '../../errors';
import type { SearchIndex } from '../port';
import {
  product,
  productDeclaration,
  uniqueIndexName,
  upsert,
  type ContractSubject,
  type OpenSubject,
} from './contract.fixtures';

/** Rebuilds write into a fresh target and swap the alias; the previous one stays for rollback. */
export function describeAliasContract(open: () => OpenSubject): void {
  describe('targets behind an alias', () => {
    let subject: ContractSubject;
    let index: SearchIndex;
    let name: string;
    beforeEach(async () => {
      name = uniqueIndexName();
      subject = await open()(productDeclaration(name));
      index = subject.index;
    });
    afterEach(async () => subject?.dispose());

    const namesFound = async () =>
      (await index.search(name, {})).hits.map((hit) => hit.doc.name as string);

    it('has nothing to search or write before the first swap', async () => {
      expect(await index.aliasState(name)).to.deep.equal({
        live: null,
        previous: null,
        targets: [],
      });
      const search = await index.search(name, {}).catch((e: unknown) => e);
      expect(search).to.be.instanceOf(NotFoundError);
      const write = await index.bulk(name, [upsert('a', 1, product())]).catch((e: unknown) => e);
      expect(write).to.be.instanceOf(NotFoundError);
    });

    it('swaps atomically to a rebuilt target and rolls back to the previous one', async () => {
      const first = await index.createTarget(name);
      await index.bulk(first, [upsert('a', 1, product({ name: 'Old build' }))]);
      await index.swapAlias(name, first);
      expect(await namesFound()).to.deep.equal(['Old build']);

      const second = await index.createTarget(name);
      expect(second).to.not.equal(first);
      await index.bulk(second, [upsert('b', 1, product({ name: 'New build' }))]);
      expect(await namesFound()).to.deep.equal(['Old build']);
      await index.swapAlias(name, second);
      expect(await namesFound()).to.deep.equal(['New build']);
      expect(await index.aliasState(name)).to.deep.equal({
        live: second,
        previous: first,
        targets: [first, second],
      });

      expect(await index.rollback(name)).to.equal(first);
      expect(await namesFound()).to.deep.equal(['Old build']);
      expect(await index.aliasState(name)).to.include({ live: first, previous: second });
    });

    it('writes through the index name into the live target only', async () => {
      const first = await index.createTarget(name);
      await index.swapAlias(name, first);
      const second = await index.createTarget(name);
      await index.bulk(name, [upsert('a', 1, product({ name: 'Live write' }))]);
      await index.swapAlias(name, second);
      expect(await namesFound()).to.deep.equal([]);
      await index.rollback(name);
      expect(await namesFound()).to.deep.equal(['Live write']);
    });

    it('refuses to drop the live target, drops the others', async () => {
      const first = await index.createTarget(name);
      await index.swapAlias(name, first);
      const second = await index.createTarget(name);
      await index.swapAlias(name, second);
      const refused = await index.dropTarget(second).catch((e: unknown) => e);
      expect(refused).to.be.instanceOf(ConflictError);
      await index.dropTarget(first);
      expect(await index.aliasState(name)).to.deep.equal({
        live: second,
        previous: null,
        targets: [second],
      });
      expect(await index.rollback(name).catch((e: unknown) => e)).to.be.instanceOf(ConflictError);
      expect(await index.dropTarget(first).catch((e: unknown) => e)).to.be.instanceOf(
        NotFoundError,
      );
    });

    it('refuses an undeclared index and a target of another index', async () => {
      expect(await index.createTarget('undeclared').catch((e: unknown) => e)).to.be.instanceOf(
        NotFoundError,
      );
      expect(
        await index.swapAlias(name, `${name}__v0099`).catch((e: unknown) => e),
      ).to.be.instanceOf(NotFoundError);
    });
  });
}
