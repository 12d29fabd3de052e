import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describeIntegrationPublisherContract } from '../contract/integration-publisher.contract';
import type { DeliveredMessage } from '../contract/delivery-check';
import { openOutboxPublisher } from './outbox-publisher';
import { tailOutbox } from './outbox-reader';

describe('IntegrationPublisher contract: SQLite outbox', () => {
  describeIntegrationPublisherContract(
    async () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-outbox-'));
      const busyTimeoutMs = 200;
      let lock: Database.Database | null = null;
      return {
        openPublisher: () => openOutboxPublisher({ dataDir, busyTimeoutMs }),
        readers: {
          'outbox tail': async (topics) => {
            const delivered: DeliveredMessage[] = [];
            for (const topic of topics) {
              for await (const record of tailOutbox({ dataDir, topic, pageSize: 300 })) {
                const { key, value, headers } = record;
                delivered.push({ topic, key, value, headers: { ...headers } });
              }
            }
            return delivered;
          },
        },
        // Another connection holding the write lock: what a stuck writer or backup looks like.
        async interrupt() {
          lock = new Database(path.join(dataDir, 'outbox.db'));
          lock.exec('BEGIN IMMEDIATE');
        },
        async restore() {
          lock?.exec('COMMIT');
          lock?.close();
          lock = null;
        },
        failureBoundMs: busyTimeoutMs + 1000,
        async close() {
          fs.rmSync(dataDir, { recursive: true, force: true });
        },
      };
    },
    { faultHoldMs: 1500 },
  );
});
