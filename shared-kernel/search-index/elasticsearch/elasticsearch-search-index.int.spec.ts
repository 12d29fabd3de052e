import { Client } from '@elastic/elasticsearch';
import { expect } from 'chai';
import { skipOrFail } from '../../../test/support/availability';
import { ensureLiveSearchTarget } from '../../../projections/processors/search-processor';
import { describeSearchIndexContract } from '../contract/search-index.contract';
import { productDeclaration } from '../contract/contract.fixtures';
import { openElasticsearchSearchIndex } from './elasticsearch-search-index';

/** Deletes every target of `indexName` by its exact name: ES 8 refuses wildcard deletes. */
async function deleteTargets(url: string, indexName: string): Promise<void> {
  const admin = new Client({ node: url });
  try {
    const found = await admin.indices.get({
      index: `${indexName}__v*`,
      ignore_unavailable: true,
      allow_no_indices: true,
    });
    const names = Object.keys(found);
    if (names.length > 0) await admin.indices.delete({ index: names });
  } finally {
    await admin.close();
  }
}

/** The contract against a real Elasticsearch 8; runs when ELASTICSEARCH_URL is set. */
describe('Elasticsearch SearchIndex', function () {
  const url = process.env.ELASTICSEARCH_URL;
  before(function () {
    if (!url) skipOrFail(this, 'ELASTICSEARCH_URL is not set: Elasticsearch contract', false);
  });

  describeSearchIndexContract(() => async (declaration) => {
    // One-node test clusters cannot place replicas: a swap would wait for them in vain.
    const index = openElasticsearchSearchIndex({ url, declarations: [declaration], replicas: 0 });
    return {
      index,
      async dispose() {
        await index.close();
        await deleteTargets(url as string, declaration.name);
      },
    };
  });

  it('two workers making the first target at once converge on one live target', async () => {
    const declaration = productDeclaration(`race_${Date.now().toString(36)}`);
    const open = () =>
      openElasticsearchSearchIndex({ url, declarations: [declaration], replicas: 0 });
    const [a, b] = [open(), open()];
    try {
      await Promise.all([
        ensureLiveSearchTarget(a, declaration.name),
        ensureLiveSearchTarget(b, declaration.name),
      ]);
      const [stateA, stateB] = [
        await a.aliasState(declaration.name),
        await b.aliasState(declaration.name),
      ];
      expect(stateA.live).to.equal(`${declaration.name}__v0001`);
      expect(stateB.live).to.equal(stateA.live);
    } finally {
      await Promise.all([a.close(), b.close()]);
      await deleteTargets(url as string, declaration.name);
    }
  });

  it('a keyword value too long for Lucene is stored, not indexed, and does not fail its item', async () => {
    const declaration = productDeclaration(`long_${Date.now().toString(36)}`);
    const index = openElasticsearchSearchIndex({ url, declarations: [declaration], replicas: 0 });
    try {
      await ensureLiveSearchTarget(index, declaration.name);
      const doc = {
        name: 'Lamp',
        category: 'x'.repeat(40_000),
        price: 1,
        popularity: 0,
        updatedAt: 0,
      };
      const outcome = await index.bulk(declaration.name, [
        { op: 'upsert', id: 'p1', version: '01', doc },
      ]);
      expect(outcome).to.deep.equal({ applied: 1, ignored: 0 });
      await index.refresh(declaration.name);
      const page = await index.search(declaration.name, { q: 'lamp' });
      expect(page.hits.map((h) => h.id)).to.deep.equal(['p1']);
    } finally {
      await index.close();
      await deleteTargets(url as string, declaration.name);
    }
  });
});
