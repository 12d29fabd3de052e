import { expect } from 'chai';
import path from 'node:path';
import type { DocumentStore } from '../../shared-kernel/document-store/port';
import { openSqliteDocumentStore } from '../../shared-kernel/document-store/sqlite/sqlite-document-store';
import type { RecordedEvent } from '../../shared-kernel/events/envelope';
import { commitEvents } from '../../projections/engine/commit';
import { readModelProjections } from '../../projections/read-models';
import { buildShopHistory } from '../support/shop-history';
import { openShopStores, type ShopStores } from '../support/shop-stores';
import { deliverChaotically, type ChaosOptions } from './support/chaotic-delivery';
import { compareCollection } from './support/document-comparison';
import { seededRandom } from '../../bench/projections/seeded-random';
import { figure, knob, stopwatch } from './support/figures';

const SCENARIO = 'delivery-chaos';
const ORDERS = knob('FAULT_DELIVERY_ORDERS', 500);
const BATCH = 50;
const ROUNDS = knob('FAULT_DELIVERY_ROUNDS', 3);

describe('fault: duplicated and reordered delivery to the read-model projections', function () {
  this.timeout(300_000);
  const seed = knob('FAULT_SEED', Math.floor(Math.random() * 1e9));
  let shop: ShopStores;
  let log: RecordedEvent[];
  let clean: DocumentStore;
  const opened: DocumentStore[] = [];

  const openStore = (file: string) => {
    const store = openSqliteDocumentStore({ file: path.join(shop.dataDir, file) });
    opened.push(store);
    return store;
  };

  before(async () => {
    const elapsed = stopwatch();
    shop = openShopStores('strata-fault-chaos-');
    await buildShopHistory(shop, ORDERS, 10);
    log = [];
    for await (const event of shop.events.readAll()) log.push(event);
    // The reference: every projection folded over the log in order, each batch once.
    clean = openStore('clean.db');
    for (const projection of readModelProjections()) {
      for (const collection of projection.collections) await clean.ensureCollection(collection);
      const context = {
        spec: { projection, rebuildable: true },
        store: clean,
        upcast: shop.upcast,
      };
      let from: string | null = null;
      for (let start = 0; start < log.length; start += BATCH) {
        const batch = log.slice(start, start + BATCH);
        const to = batch[batch.length - 1]!.position;
        const events = batch.filter((e) => projection.handles.has(e.type));
        await commitEvents(context, { events, from, to });
        from = to;
      }
    }
    figure(SCENARIO, 'seed (FAULT_SEED)', seed);
    figure(SCENARIO, 'events in the log', log.length);
    figure(SCENARIO, 'history and clean build', elapsed(), 's');
  });
  after(async () => {
    for (const store of opened) await store.close();
    await shop?.close();
  });

  for (const replay of ['guarded', 'unguarded'] as const) {
    it(`${replay} replays of 10% of batches, streams swapped in every batch: every read model equals the clean build`, async () => {
      const elapsed = stopwatch();
      const problems: string[] = [];
      let replayed = 0;
      // Several seeded rounds: whether a swap lands where a fold is order-sensitive is chance.
      for (let round = 0; round < ROUNDS; round++) {
        const chaotic = openStore(`chaos-${replay}-${round}.db`);
        const options: ChaosOptions = {
          batchSize: BATCH,
          replayRate: 0.1,
          replay,
          lookBack: 5,
          random: seededRandom(seed + round * 2 + (replay === 'guarded' ? 0 : 1)).next,
          upcast: shop.upcast,
        };
        for (const projection of readModelProjections()) {
          for (const collection of projection.collections)
            await chaotic.ensureCollection(collection);
          const figures = await deliverChaotically(projection, chaotic, log, options);
          replayed += figures.replayed;
          expect(figures.reordered, 'batches reordered').to.be.greaterThan(0);
          if (replay === 'guarded') expect(figures.refused).to.equal(figures.replayed);
          for (const collection of projection.collections) {
            const compared = await compareCollection(chaotic, clean, collection.name);
            figure(
              SCENARIO,
              `${replay} round ${round}: ${projection.name}`,
              `${figures.batches} batches, ${figures.reordered} reordered, ${figures.replayed} replayed ` +
                `(${figures.refused} refused by the checkpoint); ${compared.documents}/${compared.reference} ` +
                `documents, ${compared.differing} differing`,
            );
            if (compared.differing > 0 || compared.documents !== compared.reference) {
              problems.push(`round ${round} ${collection.name}: ${JSON.stringify(compared)}`);
            }
          }
        }
      }
      figure(SCENARIO, `${replay}: runtime`, elapsed(), 's');
      expect(replayed, 'some batches replayed').to.be.greaterThan(0);
      expect(problems).to.deep.equal([]);
    });
  }
});
