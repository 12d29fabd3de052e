import { expect } from 'chai';
import type { DocumentStore } from '../../shared-kernel/document-store/port';
import { REBUILDS } from '../engine/rebuild';
import { inventoryCollection } from '../read-models/inventory';
import type { PruneResult } from './prune-command';
import { runStrata, seededDataDir, type SeededDataDir } from './cli.fixtures';

describe('strata projections prune, and the prune after each swap (compiled CLI, SQLite)', function () {
  this.timeout(120_000);
  let seededDir: SeededDataDir;
  let env: Record<string, string>;
  let store: DocumentStore;

  before(async () => {
    seededDir = await seededDataDir({ products: 20, priceChanges: 1 });
    ({ env, store } = seededDir);
  });
  after(() => seededDir.close());

  const strata = async (...args: string[]) => {
    const run = await runStrata(args, env);
    expect(run.code, run.stderr).to.equal(0);
    return run.stdout;
  };

  it('keeps two generations after each rebuild, and never the live or rollback target', async () => {
    for (let i = 0; i < 3; i++) await strata('projections', 'rebuild', 'products');
    expect(await store.listTargets('products')).to.deep.equal(['products__v3', 'products__v4']);

    await strata('projections', 'rollback', 'products');
    const rebuilt = JSON.parse(await strata('projections', 'rebuild', 'products', '--json')) as {
      pruned: PruneResult;
    };
    // v3 was live before the rebuild: it is the rollback target now, older or not.
    expect(rebuilt.pruned.dropped).to.deep.equal([]);
    expect(await store.targets('products')).to.include({
      live: 'products__v5',
      previous: 'products__v3',
    });

    const pruned = JSON.parse(
      await strata('projections', 'prune', 'products', '--keep', '0', '--json'),
    ) as PruneResult[];
    expect(pruned).to.deep.equal([
      {
        processor: 'products',
        dropped: ['products__v4'],
        searchDropped: [],
        kept: ['products__v3', 'products__v5'],
      },
    ]);
    expect(await store.listTargets('products')).to.deep.equal(['products__v3', 'products__v5']);
    await strata('projections', 'rollback', 'products');
    expect((await store.targets('products')).live).to.equal('products__v3');
  });

  it('keeps the target of a rebuild in progress, and prunes every processor without a name', async () => {
    await store.ensureCollection(REBUILDS);
    await store.ensureCollection(inventoryCollection());
    const resumable = await store.createTarget('inventory');
    await store.commitBatch({
      writes: [
        {
          collection: REBUILDS.name,
          id: 'inventory',
          doc: { processor: 'inventory', collection: 'inventory', target: resumable },
        },
      ],
    });
    const out = await strata('projections', 'prune', '--keep', '0');
    expect(out).to.contain(`inventory: nothing to prune (kept inventory__v1, ${resumable})`);
    expect(out).to.match(/^products: nothing to prune/m);
    expect(await store.listTargets('inventory')).to.deep.equal(['inventory__v1', resumable]);
  });

  it('refuses a bad --keep as a usage error (exit 2)', async () => {
    const run = await runStrata(['projections', 'prune', '--keep', '-1'], env);
    expect(run.code).to.equal(2);
    expect(run.stderr).to.contain('expected a whole number from 0 to 1000');
  });
});
