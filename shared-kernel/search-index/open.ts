import { join } from 'node:path';
import { urlVar } from '../config/env';
import type { Logger } from '../logging/logger';
import type { IndexDeclaration, SearchIndex } from './port';
import { openElasticsearchIndex } from './elasticsearch/elasticsearch-index';
import { openSqliteSearchIndex } from './sqlite/sqlite-search-index';

/** The variable that selects Elasticsearch (with `commonConfig`'s data dir). */
export const searchIndexConfig = {
  elasticsearchUrl: urlVar('ELASTICSEARCH_URL', ['http:', 'https:']),
};

export interface SearchIndexConfig {
  /** Set: Elasticsearch 8. Unset: SQLite FTS5 in dataDir. */
  elasticsearchUrl: string | undefined;
  dataDir: string;
}

/** The one place a process picks its search index from configuration. */
export async function openSearchIndex(
  config: SearchIndexConfig,
  declarations: readonly IndexDeclaration[],
  logger: Logger,
): Promise<SearchIndex> {
  if (config.elasticsearchUrl !== undefined) {
    logger.info('search index: Elasticsearch', { url: config.elasticsearchUrl });
    return openElasticsearchIndex({ url: config.elasticsearchUrl, declarations, logger });
  }
  const file = join(config.dataDir, 'search.db');
  logger.info('search index: embedded SQLite FTS5', { file });
  return openSqliteSearchIndex({ file, declarations });
}
