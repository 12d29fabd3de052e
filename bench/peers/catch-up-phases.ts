import path from 'node:path';
import { openSqliteDocumentStore } from '../../shared-kernel/document-store/sqlite/sqlite-document-store';
import type { RecordedEvent } from '../../shared-kernel/events/envelope';
import { openSqliteEventStore } from '../../shared-kernel/event-store/sqlite';
import { STOCK_EVENT_TYPES } from '../../projections/read-models/domain-events';
import {
  evolveInventory,
  inventoryProjection,
  type InventoryDoc,
} from '../../projections/read-models/inventory';
import { runnerOptions } from '../projections/bench-context';
import { observedStore } from '../projections/observed-store';
import { plainUpserts } from '../projections/plain-upserts';
import { measureCatchUp } from '../projections/runner-catch-up';
import { cpuMicros, timed } from '../support/measure';
import { growStockHistory } from './catch-up-history';
import type { Peer, PeerProjection } from './peer';
import type { PeersContext, PeersSizes } from './peers-context';
import { recordSideBySide } from './side-by-side';

/**
 * Catch-up into a one-document-per-stream read model (Strata's inventory: stock levels per SKU)
 * from the start of the log, at each size, the log growing between sizes. Strata: the worker's
 * runner (`createRunner`, as `measureCatchUp` drives it) into the SQLite document store. Emmett:
 * its consumer and projection processor, folding with the same `evolveInventory`. Baseline:
 * plain better-sqlite3 reading Strata's log and upserting as many documents per batch as
 * Strata's read model wrote.
 */
export async function catchUpPhases(context: PeersContext, sizes: PeersSizes): Promise<void> {
  const { dataDir, logger, upcasting, report } = context;
  const eventStore = openSqliteEventStore({ dataDir, fileName: 'catch-up-strata.db', logger });
  const emmett = await context.openEmmett({ dataDir, fileName: 'catch-up-emmett.db' });
  let filled = 0;
  let items = 0;
  let emmettFillRetries = 0;
  try {
    for (const size of [...sizes.catchUpEvents].sort((a, b) => a - b)) {
      const started = performance.now();
      const grown = await growStockHistory(eventStore, emmett, filled, size);
      items += grown.items;
      emmettFillRetries += grown.emmettRetries;
      const fillSeconds = ((performance.now() - started) / 1000).toFixed(1);
      process.stdout.write(
        `  stock history grown to ${size} events in both logs in ${fillSeconds} s (not measured)\n`,
      );
      filled = size;
      const file = path.join(dataDir, `inventory-${size}.db`);
      const store = openSqliteDocumentStore({ file });
      const writesPerBatch: number[] = [];
      const strata = await measureCatchUp({
        eventStore,
        store: observedStore(store, (batch) => writesPerBatch.push(batch.writes.length)),
        spec: { projection: inventoryProjection(), rebuildable: true },
        upcast: (event) => upcasting.upcast(event),
        logger,
        options: runnerOptions(sizes.batchSize),
      });
      const strataDocuments = await store.count(inventoryProjection().collections[0]!.name);
      await store.close();
      const plain = plainUpserts({
        eventsFile: eventStore.file,
        dataDir,
        name: `inventory-${size}`,
        batchSize: sizes.batchSize,
        writesPerBatch,
      });
      const emmettRun = await emmettCatchUp(emmett, inventory(`inventory_${size}`, sizes));
      for (const [who, events, documents] of [
        ['Strata', strata.events, strataDocuments],
        ['Emmett', emmettRun.events, emmettRun.documents],
      ] as const) {
        if (events !== size || documents !== items) {
          throw new Error(
            `${who} caught up ${events} events into ${documents} documents, not ${size} into ${items}`,
          );
        }
      }
      recordSideBySide(report, {
        name: `catch-up into a per-stream read model, ${size} events`,
        unit: 'events/s',
        strata,
        emmett: emmettRun,
        baseline: plain.perSecond,
      });
    }
    Object.assign(report.parameters, emmett.diagnostics(), { emmettFillRetries });
  } finally {
    await eventStore.close();
    await emmett.close();
  }
}

/** The inventory read model's fold, for Emmett's projection. */
function inventory(name: string, sizes: PeersSizes): PeerProjection {
  return {
    name,
    handles: STOCK_EVENT_TYPES,
    batchSize: sizes.batchSize,
    evolve: (doc, event) =>
      evolveInventory(doc as InventoryDoc | null, event as unknown as RecordedEvent),
  };
}

async function emmettCatchUp(emmett: Peer, projection: PeerProjection) {
  const prepared = await emmett.prepareCatchUp(projection);
  const cpu = process.cpuUsage();
  const { seconds } = await timed(() => prepared.run());
  const cpuUsed = cpuMicros(cpu);
  const { events, documents } = await prepared.finish();
  return { events, documents, perSecond: events / seconds, cpuMicrosEach: cpuUsed / events };
}
