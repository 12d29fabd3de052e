import { expect } from 'chai';
import { ConflictError, NotFoundError, ValidationError } from '../../errors';
import type { DocumentStore } from '../port';
import {
  id,
  orders,
  pos,
  product,
  products,
  rejectsWith,
  unserializable,
  type OpenStore,
} from './contract.fixtures';

/** Writes, reads and the all-or-nothing commit of a batch with its checkpoint. */
export function describeBatchContract(open: OpenStore): void {
  let store: DocumentStore;
  let dispose: () => Promise<void>;
  beforeEach(async () => {
    ({ store, dispose } = await open());
    await store.ensureCollection(products);
    await store.ensureCollection(orders);
  });
  afterEach(async () => dispose());

  it('upserts, replaces and deletes documents, and reads them back by id', async () => {
    await store.commitBatch({
      writes: [1, 2, 3].map((i) => ({ collection: 'products', id: id(i), doc: product(i) })),
    });
    await store.commitBatch({
      writes: [
        { collection: 'products', id: id(1), doc: product(1, { name: 'renamed' }) },
        { collection: 'products', id: id(2), doc: null },
      ],
    });
    expect(await store.get('products', id(1))).to.deep.equal(product(1, { name: 'renamed' }));
    expect(await store.get('products', id(2))).to.equal(null);
    expect(await store.get('products', id(3))).to.deep.equal(product(3));
    const many = await store.getMany('products', [id(1), id(2), id(3), 'p-none']);
    expect([...many.keys()].sort()).to.deep.equal([id(1), id(3)]);
    expect(many.get(id(3))).to.deep.equal(product(3));
  });

  it('loads a whole batch of current documents with getMany', async () => {
    const ids = Array.from({ length: 2500 }, (_, i) => id(i));
    await store.commitBatch({
      writes: ids.map((key, i) => ({ collection: 'products', id: key, doc: product(i) })),
    });
    const many = await store.getMany('products', [...ids, 'missing-1']);
    expect(many.size).to.equal(2500);
    expect(many.get(id(1234))).to.deep.equal(product(1234));
  });

  it('applies repeated ids of one batch in order: the last write wins', async () => {
    await store.commitBatch({
      writes: [
        { collection: 'products', id: id(1), doc: product(1) },
        { collection: 'products', id: id(1), doc: null },
        { collection: 'products', id: id(2), doc: null },
        { collection: 'products', id: id(2), doc: product(2, { name: 'second' }) },
      ],
    });
    expect(await store.get('products', id(1))).to.equal(null);
    expect(await store.get('products', id(2))).to.deep.include({ name: 'second' });
  });

  it('commits the checkpoint with the writes, and lists live checkpoints by processor', async () => {
    expect(await store.getCheckpoint('catalog')).to.equal(null);
    await store.commitBatch({
      writes: [{ collection: 'products', id: id(1), doc: product(1) }],
      checkpoint: { processor: 'catalog', position: pos(10) },
    });
    await store.commitBatch({
      writes: [],
      checkpoint: { processor: 'catalog', position: pos(12) },
    });
    await store.commitBatch({
      writes: [{ collection: 'customer_orders', id: 'o1', doc: { customerId: 'c1' } }],
      checkpoint: { processor: 'audit', position: pos(7) },
    });
    expect(await store.getCheckpoint('catalog')).to.equal(pos(12));
    expect(await store.getCheckpoints()).to.deep.equal([
      { processor: 'audit', position: pos(7) },
      { processor: 'catalog', position: pos(12) },
    ]);
  });

  it('rolls back every write and the checkpoint when a write fails in the middle of the batch', async () => {
    await store.commitBatch({
      writes: [1, 2].map((i) => ({ collection: 'products', id: id(i), doc: product(i) })),
      checkpoint: { processor: 'catalog', position: pos(5) },
    });
    const failing = store.commitBatch({
      writes: [
        { collection: 'products', id: id(1), doc: product(1, { name: 'changed' }) },
        { collection: 'products', id: id(2), doc: null },
        { collection: 'products', id: id(3), doc: unserializable(3) },
        { collection: 'products', id: id(4), doc: product(4) },
      ],
      checkpoint: { processor: 'catalog', position: pos(9) },
    });
    await rejectsWith(failing, Error);
    expect(await store.get('products', id(1))).to.deep.equal(product(1));
    expect(await store.get('products', id(2))).to.deep.equal(product(2));
    expect((await store.getMany('products', [id(3), id(4)])).size).to.equal(0);
    expect(await store.getCheckpoint('catalog')).to.equal(pos(5));
  });

  it('writes nothing when a later write names an undeclared collection', async () => {
    const failing = store.commitBatch({
      writes: [
        { collection: 'products', id: id(1), doc: product(1) },
        { collection: 'not_declared', id: 'x', doc: { a: 1 } },
      ],
      checkpoint: { processor: 'catalog', position: pos(1) },
    });
    await rejectsWith(failing, NotFoundError);
    expect(await store.get('products', id(1))).to.equal(null);
    expect(await store.getCheckpoint('catalog')).to.equal(null);
  });

  it('refuses a checkpoint that does not advance, so a batch is never applied twice', async () => {
    await store.commitBatch({
      writes: [],
      checkpoint: { processor: 'catalog', position: pos(20) },
    });
    for (const position of [pos(20), pos(19)]) {
      const replay = store.commitBatch({
        writes: [{ collection: 'products', id: id(1), doc: product(1) }],
        checkpoint: { processor: 'catalog', position },
      });
      expect((await rejectsWith(replay, ConflictError)).rule).to.equal('checkpoint-not-advancing');
    }
    expect(await store.get('products', id(1))).to.equal(null);
    expect(await store.getCheckpoint('catalog')).to.equal(pos(20));
  });

  it('compare-and-sets the checkpoint when the writer says which one it read', async () => {
    const batch = (expectedCheckpoint: string | null, position: string) => ({
      writes: [{ collection: 'products', id: id(2), doc: product(2) }],
      checkpoint: { processor: 'catalog', position },
      expectedCheckpoint,
    });
    const stale = store.commitBatch(batch(pos(3), pos(5)));
    expect((await rejectsWith(stale, ConflictError)).rule).to.equal('checkpoint-moved');
    expect(await store.get('products', id(2))).to.equal(null);
    await store.commitBatch(batch(null, pos(5)));
    const moved = store.commitBatch(batch(pos(4), pos(9)));
    expect((await rejectsWith(moved, ConflictError)).rule).to.equal('checkpoint-moved');
    await store.commitBatch(batch(pos(5), pos(9)));
    expect(await store.getCheckpoint('catalog')).to.equal(pos(9));
    expect(await store.get('products', id(2))).to.deep.equal(product(2));
  });

  it('rejects malformed batches before writing anything, naming the problem', async () => {
    const bad = [
      { writes: [{ collection: 'products', id: '', doc: product(1) }] },
      { writes: [{ collection: 'Products; DROP', id: 'a', doc: product(1) }] },
      { writes: [{ collection: 'products', id: 'a', doc: [1, 2] }] },
      { writes: [{ collection: 'products', id: 'a', doc: { _id: 'x' } }] },
      { writes: [], checkpoint: { processor: 'catalog', position: 'not-hex' } },
      { writes: [], checkpoint: { processor: '', position: pos(1) } },
    ];
    for (const batch of bad) {
      const error = await rejectsWith(store.commitBatch(batch as never), ValidationError);
      expect(error.errors[0]?.field).to.match(/writes\[0\]|checkpoint/);
    }
    expect(await store.count('products')).to.equal(0);
  });
}
