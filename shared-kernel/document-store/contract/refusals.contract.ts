import { expect } from 'chai';
import { ValidationError } from '../../errors';
import type { DocumentStore, Query } from '../port';
import { id, product, products, rejectsWith, type OpenStore } from './contract.fixtures';

/** Defence in depth: what the query API might let through is refused here, never sent on. */
export function describeRefusalsContract(open: OpenStore): void {
  let store: DocumentStore;
  let dispose: () => Promise<void>;
  before(async () => {
    ({ store, dispose } = await open());
    await store.ensureCollection(products);
    const writes = [1, 2, 3].map((i) => ({ collection: 'products', id: id(i), doc: product(i) }));
    await store.commitBatch({ writes });
  });
  after(async () => dispose());

  it('refuses undeclared fields, operators and non-scalar values before reaching the store', async () => {
    const refused: Array<[Partial<Query>, RegExp]> = [
      [{ where: { description: 'x' } }, /where\.description/],
      [{ where: { category: { $ne: 1 } as never } }, /where\.category\.\$ne/],
      [{ where: { category: { eq: { $ne: 1 } } as never } }, /where\.category\.eq/],
      [{ where: { category: ['books'] as never } }, /where\.category/],
      [{ where: { 'price.amount': { gt: null } as never } }, /where\.price\.amount\.gt/],
      [{ where: { 'price.amount': { gt: true } as never } }, /where\.price\.amount\.gt/],
      [{ where: { category: { in: [{ $gt: '' }] } as never } }, /where\.category\.in/],
      [{ where: { category: { in: [] } } }, /where\.category\.in/],
      [{ where: { category: {} } }, /where\.category/],
      [{ sort: [{ field: 'description', direction: 'asc' }] }, /sort\[0\]\.field/],
      [{ sort: [{ field: 'name', direction: 'up' as never }] }, /sort\[0\]\.direction/],
      [{ limit: 0 }, /limit/],
      [{ limit: 1001 }, /limit/],
      [{ cursor: 'not-a-cursor' }, /cursor/],
    ];
    for (const [query, field] of refused) {
      const error = await rejectsWith(
        store.find('products', { limit: 10, ...query }),
        ValidationError,
      );
      expect(error.errors.map((e) => e.field).join(), JSON.stringify(query)).to.match(field);
    }
    await rejectsWith(
      store.count('products', { 'price.amount': { $gt: 0 } as never }),
      ValidationError,
    );
  });

  it('refuses a cursor made for a different sort', async () => {
    const page = await store.find('products', {
      sort: [{ field: 'name', direction: 'asc' }],
      limit: 2,
    });
    expect(page.nextCursor).to.be.a('string');
    const other = store.find('products', {
      sort: [{ field: 'name', direction: 'desc' }],
      cursor: page.nextCursor,
      limit: 5,
    });
    expect((await rejectsWith(other, ValidationError)).errors[0]?.field).to.equal('cursor');
  });
}
