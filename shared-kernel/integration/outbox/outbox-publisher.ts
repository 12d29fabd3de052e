import { StoreError } from '../../errors';
import type { IntegrationMessage, IntegrationPublisher } from '../port';
import { validateMessages } from '../validate-messages';
import {
  openOutboxForWriting,
  outboxFile,
  toOutboxError,
  type OutboxLocation,
} from './outbox-database';

export interface OutboxPublisherOptions extends OutboxLocation {
  /** How long a publish waits for another writer's lock before failing as unavailable. */
  busyTimeoutMs?: number;
  /** The clock for `created_at`; tests pass a fixed one. */
  now?: () => Date;
}

export interface OutboxStats {
  /** Rows written. */
  stored: number;
  /** Messages whose ce_id was already stored, so nothing was written for them. */
  duplicatesIgnored: number;
}

export interface OutboxPublisher extends IntegrationPublisher {
  readonly file: string;
  stats(): OutboxStats;
}

/**
 * The embedded adapter: each publish call is one SQLite transaction, so it is stored whole or
 * not at all, and `seq` order is call order. A repeated ce_id is ignored and counted.
 */
export function openOutboxPublisher(options: OutboxPublisherOptions): OutboxPublisher {
  const file = outboxFile(options);
  const db = openOutboxForWriting(file, options.busyTimeoutMs ?? 2000);
  const now = options.now ?? (() => new Date());
  const insert = db.prepare(
    `INSERT OR IGNORE INTO outbox (topic, key, ce_id, type, headers, value, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const storeAll = db.transaction((messages: readonly IntegrationMessage[], at: string) => {
    let stored = 0;
    for (const { topic, key, headers, value } of messages) {
      const row = [topic, key, headers.ce_id, headers.ce_type, JSON.stringify(headers)];
      stored += insert.run(...row, JSON.stringify(value), at).changes;
    }
    return stored;
  });
  const alive = db.prepare('SELECT 1');
  const stats: OutboxStats = { stored: 0, duplicatesIgnored: 0 };

  function requireOpen(): void {
    if (!db.open) throw new StoreError(`outbox ${file} is closed`);
  }

  return {
    file,
    async publish(messages) {
      requireOpen();
      validateMessages(messages);
      if (messages.length === 0) return;
      let stored: number;
      try {
        // IMMEDIATE takes the write lock up front: waiting for it is bounded by busyTimeoutMs.
        stored = storeAll.immediate(messages, now().toISOString());
      } catch (cause) {
        throw toOutboxError(cause, file);
      }
      stats.stored += stored;
      stats.duplicatesIgnored += messages.length - stored;
    },
    async ping() {
      requireOpen();
      try {
        alive.get();
      } catch (cause) {
        throw toOutboxError(cause, file);
      }
    },
    async close() {
      if (db.open) db.close();
    },
    stats: () => ({ ...stats }),
  };
}
