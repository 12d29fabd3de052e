import { expect } from 'chai';
import { ConflictError, NotFoundError, ValidationError } from '../../errors';
import type { CollectionDeclaration, DocumentStore } from '../port';
import { id, pos, product, products, rejectsWith, type OpenStore } from './contract.fixtures';

const live = (i: number) => ({
  collection: 'products',
  id: id(i),
  doc: product(i, { name: `live ${i}` }),
});
const rebuilt = (i: number) => ({
  collection: 'products',
  id: id(i),
  doc: product(i, { name: `rebuilt ${i}` }),
});

/** Rebuilds: a new target fills while the live one serves, then swap, rollback and drop. */
export function describeTargetsContract(open: OpenStore): void {
  let store: DocumentStore;
  let dispose: () => Promise<void>;
  beforeEach(async () => {
    ({ store, dispose } = await open());
    await store.ensureCollection(products);
    await store.commitBatch({
      writes: [1, 2, 3].map(live),
      checkpoint: { processor: 'catalog', position: pos(30) },
    });
  });
  afterEach(async () => dispose());

  const names = async () => (await store.find('products', { limit: 100 })).items.map((d) => d.name);

  it('fills a new target without touching the live one, then swaps to it atomically', async () => {
    const target = await store.createTarget('products');
    expect(target).to.equal('products__v2');
    await store.commitBatch({
      writes: [1, 2].map(rebuilt),
      checkpoint: { processor: 'catalog', position: pos(25) },
      target,
    });
    expect(await names()).to.deep.equal(['live 1', 'live 2', 'live 3']);
    expect(await store.getCheckpoint('catalog')).to.equal(pos(30));
    expect(await store.getCheckpoint('catalog', { target })).to.equal(pos(25));
    expect((await store.get('products', id(1), { target }))?.name).to.equal('rebuilt 1');

    const seenDuringSwap: string[][] = [];
    const reading = (async () => {
      for (let i = 0; i < 20; i++) seenDuringSwap.push((await names()) as string[]);
    })();
    await store.swap('products', target);
    await reading;
    const complete = [
      JSON.stringify(['live 1', 'live 2', 'live 3']),
      JSON.stringify(['rebuilt 1', 'rebuilt 2']),
    ];
    for (const seen of seenDuringSwap) expect(complete).to.include(JSON.stringify(seen));

    expect(await names()).to.deep.equal(['rebuilt 1', 'rebuilt 2']);
    expect(await store.targets('products')).to.deep.equal({
      collection: 'products',
      live: target,
      previous: 'products__v1',
    });
    expect(await store.getCheckpoint('catalog')).to.equal(pos(25));
    expect(await store.getCheckpoints()).to.deep.equal([
      { processor: 'catalog', position: pos(25) },
    ]);
    await store.commitBatch({
      writes: [live(9)],
      checkpoint: { processor: 'catalog', position: pos(26) },
    });
    expect(await store.count('products')).to.equal(3);
  });

  it('rolls back to the previous target with its checkpoint, and forward again', async () => {
    const target = await store.createTarget('products');
    await store.commitBatch({
      writes: [rebuilt(1)],
      checkpoint: { processor: 'catalog', position: pos(40) },
      target,
    });
    await store.swap('products', target);
    await store.commitBatch({
      writes: [rebuilt(2)],
      checkpoint: { processor: 'catalog', position: pos(41) },
    });
    await store.rollback('products');
    expect(await names()).to.deep.equal(['live 1', 'live 2', 'live 3']);
    expect(await store.getCheckpoint('catalog')).to.equal(pos(30));
    expect(await store.targets('products')).to.deep.include({
      live: 'products__v1',
      previous: target,
    });
    await store.rollback('products');
    expect(await names()).to.deep.equal(['rebuilt 1', 'rebuilt 2']);
    expect(await store.getCheckpoint('catalog')).to.equal(pos(41));
  });

  it('gives a target its own declaration, queryable once it is live', async () => {
    const wider: CollectionDeclaration = {
      ...products,
      indexes: [
        ...products.indexes,
        { name: 'bySku', fields: [{ field: 'sku', direction: 'asc' }] },
      ],
    };
    const target = await store.createTarget('products', wider);
    await store.commitBatch({
      writes: [{ collection: 'products', id: 'x', doc: { sku: 'SKU-1' } }],
      target,
    });
    await rejectsWith(
      store.find('products', { where: { sku: 'SKU-1' }, limit: 5 }),
      ValidationError,
    );
    await store.swap('products', target);
    expect(
      (await store.find('products', { where: { sku: 'SKU-1' }, limit: 5 })).items,
    ).to.deep.equal([{ sku: 'SKU-1' }]);
  });

  it('keeps the live target and the rollback target safe from mistakes', async () => {
    const target = await store.createTarget('products');
    await store.swap('products', target);
    const writeLive = store.commitBatch({ writes: [rebuilt(1)], target });
    expect((await rejectsWith(writeLive, ConflictError)).rule).to.equal('target-is-live');
    expect((await rejectsWith(store.dropTarget(target), ConflictError)).rule).to.equal(
      'target-is-live',
    );
    await store.dropTarget('products__v1');
    expect((await rejectsWith(store.rollback('products'), ConflictError)).rule).to.equal(
      'no-previous-target',
    );
    expect(await store.targets('products')).to.deep.include({ live: target, previous: null });
    expect(await store.createTarget('products')).to.equal('products__v3');
    await rejectsWith(store.swap('products', 'products;drop'), ValidationError);
  });

  it('adds and drops indexes of the live target when the declaration changes', async () => {
    await rejectsWith(store.find('products', { where: { sku: 'a' }, limit: 1 }), ValidationError);
    const indexes = [
      ...products.indexes,
      { name: 'bySku', fields: [{ field: 'sku', direction: 'asc' as const }] },
    ];
    await store.ensureCollection({ ...products, indexes });
    await store.ensureCollection({ ...products, indexes });
    await store.commitBatch({ writes: [{ collection: 'products', id: 'x', doc: { sku: 'a' } }] });
    expect((await store.find('products', { where: { sku: 'a' }, limit: 1 })).items).to.have.length(
      1,
    );
    await store.ensureCollection({ ...products, indexes: products.indexes.slice(1) });
    await rejectsWith(
      store.find('products', { where: { category: 'books' }, limit: 1 }),
      ValidationError,
    );
    expect(await store.count('products')).to.equal(4);
  });

  it('lets processes that start together ensure a changed declaration at once, never failing', async () => {
    const indexes = [
      ...products.indexes.slice(1),
      { name: 'bySku', fields: [{ field: 'sku', direction: 'asc' as const }] },
    ];
    // Each drops what the other may just have dropped, and creates what it may have created.
    await Promise.all(
      Array.from({ length: 4 }, () => store.ensureCollection({ ...products, indexes })),
    );
    await store.commitBatch({ writes: [{ collection: 'products', id: 'y', doc: { sku: 'b' } }] });
    expect((await store.find('products', { where: { sku: 'b' }, limit: 1 })).items).to.have.length(
      1,
    );
    await rejectsWith(
      store.find('products', { where: { category: 'books' }, limit: 1 }),
      ValidationError,
    );
  });

  it('lists every target of a collection oldest first, and forgets a dropped one', async () => {
    expect(await store.listTargets('products')).to.deep.equal(['products__v1']);
    const second = await store.createTarget('products');
    const third = await store.createTarget('products');
    await store.swap('products', third);
    expect(await store.listTargets('products')).to.deep.equal(['products__v1', second, third]);
    await store.dropTarget(second);
    expect(await store.listTargets('products')).to.deep.equal(['products__v1', third]);
    await rejectsWith(store.listTargets('nothing_declared'), NotFoundError);
  });
}
