import type Database from 'better-sqlite3';
import type { EventUpcasting } from '../../shared-kernel/events/upcasting';
import type { SqliteEventStore } from '../../shared-kernel/event-store/sqlite';
import type { Logger } from '../../shared-kernel/logging/logger';
import type { Report } from '../support/report';
import type { OpenPeer, Peer } from './peer';

/** What every phase of the peers benchmark works with, built once by its main. */
export interface PeersContext {
  report: Report;
  dataDir: string;
  /** Strata's embedded store, as `openSqliteEventStore` opens it for the command API. */
  strata: SqliteEventStore;
  emmett: Peer;
  /** Opens another Emmett store (catch-up starts each size on a log of its own). */
  openEmmett: OpenPeer;
  /** The baseline's database: Strata's event table and pragmas (WAL, synchronous=FULL). */
  plain: Database.Database;
  logger: Logger;
  upcasting: EventUpcasting;
}

/** How many operations each phase runs; `make bench` uses the defaults. */
export interface PeersSizes {
  appends: number;
  concurrentAppends: number;
  coldCommands: number;
  hotCommands: number;
  /** Catch-up at each of these log sizes (each a log of its own, filled before timing). */
  catchUpEvents: number[];
  batchSize: number;
  /**
   * Each contender's time budget per phase, in seconds: at 32 in flight Emmett's SQLite store
   * mostly waits on a busy database, and would take hours over the operations Strata runs.
   */
  phaseSeconds: number;
}

export const IN_FLIGHT = 32;
