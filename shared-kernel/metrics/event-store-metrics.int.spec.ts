import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeEventStoreContract } from '../event-store/contract/event-store.contract';
import type { EventStore } from '../event-store/port';
import { openSqliteEventStore } from '../event-store/sqlite';
import { newId } from '../ids';
import { countingEventStore } from './event-store-metrics';
import { createMetricsRegistry } from './registry';
import { parseExposition } from './scrape.fixtures';

// The decorator must keep every promise of the port: the whole contract runs through it.
describeEventStoreContract('SQLite behind countingEventStore', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-counted-'));
  const wrap = () => countingEventStore(openSqliteEventStore({ dataDir }), createMetricsRegistry());
  let store: EventStore = wrap();
  return {
    store,
    async reopen() {
      await store.close();
      store = wrap();
      return store;
    },
    async cleanup() {
      await store.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
});

describe('countingEventStore', () => {
  it('counts appended events by stream category, and nothing for a refused append', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-counted-'));
    const registry = createMetricsRegistry();
    const store = countingEventStore(openSqliteEventStore({ dataDir }), registry);
    const event = () => ({
      eventId: newId(),
      type: 'Ticked',
      data: {},
      metadata: {
        correlationId: 'c',
        causationId: null,
        actor: 'test',
        occurredAt: new Date().toISOString(),
        schemaVersion: 1,
      },
    });
    try {
      await store.append('product-1', [event(), event()], 'no_stream');
      await store.append('sku-A', [event()], 'no_stream');
      const refused = await store.append('sku-A', [event()], 'no_stream').then(
        () => 'stored',
        (error: Error) => error.name,
      );
      expect(refused).to.equal('ConcurrencyError');
      expect(store.eventsBetween?.(null, await store.headPosition())).to.equal(3);
      const m = parseExposition(await registry.metrics());
      expect(m.value('strata_events_appended_total', { category: 'product' })).to.equal(2);
      expect(m.value('strata_events_appended_total', { category: 'sku' })).to.equal(1);
    } finally {
      await store.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
