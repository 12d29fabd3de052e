import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeEventStoreContract } from '../contract/event-store.contract';
import { openSqliteEventStore, type SqliteEventStore } from './sqlite-event-store';

describeEventStoreContract('SQLite', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-events-'));
  let store: SqliteEventStore = openSqliteEventStore({ dataDir });
  return {
    store,
    async reopen() {
      await store.close();
      store = openSqliteEventStore({ dataDir });
      return store;
    },
    async cleanup() {
      await store.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
});
