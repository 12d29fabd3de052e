import { Client } from '@elastic/elasticsearch';
import { skipOrFail } from '../../../test/support/availability';
import { describeSearchIndexContract } from '../contract/search-index.contract';
import { openElasticsearchIndex } from './elasticsearch-index';

/** The contract against a real Elasticsearch 8; runs when ELASTICSEARCH_URL is set. */
describe('Elasticsearch SearchIndex', function () {
  const url = process.env.ELASTICSEARCH_URL;
  before(function () {
    if (!url) skipOrFail(this, 'ELASTICSEARCH_URL is not set: Elasticsearch contract', false);
  });

  describeSearchIndexContract(() => async (declaration) => {
    const index = openElasticsearchIndex({ url: url as string, declarations: [declaration] });
    return {
      index,
      async dispose() {
        await index.close();
        const admin = new Client({ node: url as string });
        await admin.indices.delete({ index: `${declaration.name}__v*`, ignore_unavailable: true });
        await admin.close();
      },
    };
  });
});
