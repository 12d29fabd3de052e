import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { withoutCredentials } from '../config/redact';
import {
  integerVar,
  optionalStringVar,
  readableFileVar,
  secretVar,
  urlVar,
  type ConfigOf,
} from '../config/env';
import { ConfigError } from '../errors';
import type { Logger } from '../logging/logger';
import type { IndexDeclaration, SearchIndex } from './port';
import { openElasticsearchSearchIndex } from './elasticsearch/elasticsearch-search-index';
import { openSqliteSearchIndex } from './sqlite/sqlite-search-index';

/** The variables that select and reach Elasticsearch (with `commonConfig`'s data dir). */
export const searchIndexConfig = {
  elasticsearchUrl: urlVar('ELASTICSEARCH_URL', ['http:', 'https:']),
  elasticsearchCloudId: optionalStringVar('ELASTICSEARCH_CLOUD_ID', 'an Elastic Cloud id'),
  elasticsearchApiKey: secretVar('ELASTICSEARCH_API_KEY', 'an encoded Elasticsearch API key'),
  elasticsearchCaFile: readableFileVar('ELASTICSEARCH_CA_FILE'),
  elasticsearchReplicas: integerVar('ELASTICSEARCH_REPLICAS', 1, { min: 0, max: 10 }),
  elasticsearchRequestTimeoutMs: integerVar('ELASTICSEARCH_REQUEST_TIMEOUT_MS', 30_000, {
    min: 100,
    max: 600_000,
  }),
};

export type SearchIndexConfig = ConfigOf<typeof searchIndexConfig> & {
  /** Where the embedded FTS5 index lives when neither URL nor cloud id is set. */
  dataDir: string;
};

/** The one place a process picks its search index from configuration. */
export async function openSearchIndex(
  config: SearchIndexConfig,
  declarations: readonly IndexDeclaration[],
  logger: Logger,
): Promise<SearchIndex> {
  const { elasticsearchUrl: url, elasticsearchCloudId: cloudId } = config;
  if (url !== undefined && cloudId !== undefined) {
    throw new ConfigError('ELASTICSEARCH_CLOUD_ID: set it or ELASTICSEARCH_URL, not both');
  }
  if (url !== undefined || cloudId !== undefined) {
    logger.info('search index: Elasticsearch', {
      node: url ? withoutCredentials(url) : 'Elastic Cloud',
      apiKey: config.elasticsearchApiKey !== undefined,
      replicas: config.elasticsearchReplicas,
    });
    return openElasticsearchSearchIndex({
      ...(url !== undefined ? { url } : { cloudId: cloudId as string }),
      ...(config.elasticsearchApiKey ? { apiKey: config.elasticsearchApiKey } : {}),
      ...(config.elasticsearchCaFile
        ? { ca: readFileSync(config.elasticsearchCaFile, 'utf8') }
        : {}),
      replicas: config.elasticsearchReplicas,
      requestTimeoutMs: config.elasticsearchRequestTimeoutMs,
      declarations,
      logger,
    });
  }
  const file = join(config.dataDir, 'search.db');
  logger.info('search index: embedded SQLite FTS5', { file });
  return openSqliteSearchIndex({ file, declarations });
}
