import { urlVar } from '../config/env';
import type { Logger } from '../logging/logger';
import { openMongoDocumentStore } from './mongo/mongo-document-store';
import type { DocumentStore } from './port';
import { readModelsFile } from './sqlite/open';
import { openSqliteDocumentStore } from './sqlite/sqlite-document-store';

/** The variable that selects MongoDB for the read models (with `commonConfig`'s data dir). */
export const documentStoreConfig = {
  mongoUrl: urlVar('MONGO_URL', ['mongodb:', 'mongodb+srv:']),
};

export interface DocumentStoreConfig {
  /** Set: MongoDB (a replica set: batches commit in transactions). Unset: SQLite in dataDir. */
  mongoUrl: string | undefined;
  dataDir: string;
}

/** The one place a process picks its read-model store from configuration. */
export async function openDocumentStore(
  config: DocumentStoreConfig,
  logger: Logger,
): Promise<DocumentStore> {
  if (config.mongoUrl !== undefined) {
    return openMongoDocumentStore({ url: config.mongoUrl, logger });
  }
  const file = readModelsFile(config.dataDir);
  logger.info('document store: embedded SQLite', { file });
  return openSqliteDocumentStore({ file });
}
