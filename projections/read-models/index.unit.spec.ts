import { expect } from 'chai';
import { checkDeclaration } from '../../shared-kernel/document-store/declaration';
import { checkProcessor } from '../../shared-kernel/document-store/names';
import { readModelProjections } from './index';

describe('read-model projections', () => {
  const projections = readModelProjections();

  it('lists products, orders, inventory, audit and the search state, each once', () => {
    expect(projections.map((p) => p.name)).to.deep.equal([
      'products',
      'orders',
      'inventory',
      'audit',
      'product-search',
    ]);
  });

  it('gives each a valid processor name and collections no other one owns', () => {
    const collections = projections.flatMap((p) => p.collections.map((c) => c.name));
    expect(new Set(collections).size).to.equal(collections.length);
    for (const projection of projections) {
      expect(checkProcessor(projection.name)).to.equal(projection.name);
      for (const collection of projection.collections) {
        expect(checkDeclaration(collection)).to.deep.equal(collection);
      }
    }
  });

  it('builds fresh instances on every call, sharing nothing mutable', () => {
    const again = readModelProjections();
    projections.forEach((projection, i) => {
      expect(again[i]).not.to.equal(projection);
      expect(again[i]?.collections[0]).not.to.equal(projection.collections[0]);
    });
  });
});
