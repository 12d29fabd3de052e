import { urlVar, type ConfigOf } from '../config/env';
import type { Logger } from '../logging/logger';
import { openEsdbEventStore, type ForeignEventReport } from './esdb/esdb-event-store';
import { ESDB_SCHEMES } from './esdb/connection-string';
import type { EventStore } from './port';
import { openSqliteEventStore } from './sqlite';

/** The variable that selects EventStoreDB / KurrentDB (with `commonConfig`'s data dir). */
export const eventStoreConfig = {
  esdbUrl: urlVar('ESDB_URL', ESDB_SCHEMES),
};

export type EventStoreConfig = ConfigOf<typeof eventStoreConfig> & {
  /** Where the embedded log lives (`STRATA_DATA_DIR`). */
  dataDir: string;
};

export interface EventStoreChoice {
  /**
   * The stream prefixes of Strata's aggregates (write-side/aggregates.ts). EventStoreDB filters
   * `$all` on them server-side, so streams other applications write never reach a reader.
   */
  streamPrefixes?: readonly string[];
  /** Told of each event skipped because it is not Strata's (for a metric). */
  onForeignEvent?: (report: ForeignEventReport) => void;
}

/**
 * The one place a process picks its event store from configuration, so every composition
 * root makes the same choice the same way.
 */
export function openEventStore(
  config: EventStoreConfig,
  logger: Logger,
  choice: EventStoreChoice = {},
): EventStore {
  if (config.esdbUrl !== undefined) {
    return openEsdbEventStore({ url: config.esdbUrl, logger, ...choice });
  }
  return openSqliteEventStore({ dataDir: config.dataDir, logger });
}
