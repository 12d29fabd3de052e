import type { Logger } from '../logging/logger';
import { openEsdbEventStore } from './esdb/esdb-event-store';
import type { EventStore } from './port';
import { openSqliteEventStore } from './sqlite';

export interface EventStoreConfig {
  /** Set: EventStoreDB at this connection string. Unset: the embedded SQLite log. */
  esdbUrl: string | undefined;
  /** Where the embedded log lives (`STRATA_DATA_DIR`). */
  dataDir: string;
}

/**
 * The one place a process picks its event store from configuration, so every composition
 * root makes the same choice the same way.
 */
export function openEventStore(config: EventStoreConfig, logger: Logger): EventStore {
  if (config.esdbUrl !== undefined) {
    logger.info('event store: EventStoreDB', { url: redactCredentials(config.esdbUrl) });
    return openEsdbEventStore({ url: config.esdbUrl, logger });
  }
  return openSqliteEventStore({ dataDir: config.dataDir, logger });
}

/** Connection strings may carry a user and password; logs must not. */
function redactCredentials(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//[redacted]@');
}
