import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { foldEvents, type Decider } from '../../shared-kernel/decider';
import type { DocumentStore, Query } from '../../shared-kernel/document-store/port';
import { openSqliteDocumentStore } from '../../shared-kernel/document-store/sqlite/sqlite-document-store';
import type { DomainEvent } from '../../shared-kernel/events/envelope';
import { aggregates, type AggregateType } from '../../write-side/aggregates';
import { foldTrail } from './audit-state';
import { foldBatch } from '../engine/fold-batch';
import { shopHistory } from './history.fixtures';
import { readModelProjections } from './index';

/**
 * Every read model over the real embedded document store, fed in small batches by the engine's
 * own batch fold, then asked the questions the query API will ask, on the declared indexes.
 */
describe('read models in the SQLite document store', () => {
  let dir: string;
  let store: DocumentStore;
  const history = shopHistory();
  const ids = async (collection: string, query: Query) =>
    (await store.find(collection, query)).items.map((doc) => doc.sku ?? doc.orderId);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'strata-h8-read-models-'));
    store = openSqliteDocumentStore({ file: join(dir, 'read-models.db') });
    for (const projection of readModelProjections()) {
      for (const collection of projection.collections) await store.ensureCollection(collection);
      // Batches of 7 split streams across batches, so folds also load what earlier ones stored.
      for (let i = 0; i < history.events.length; i += 7) {
        const events = history.events.slice(i, i + 7);
        const { writes } = await foldBatch(projection, store, events, { traced: false });
        const position = events[events.length - 1]!.position;
        await store.commitBatch({ writes, checkpoint: { processor: projection.name, position } });
      }
    }
  });
  after(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps products with stock, confirmed-units popularity, price and status', async () => {
    const mug = await store.get('products', 'MUG-1');
    expect(mug).to.deep.include({
      productId: 'p-mug',
      status: 'active',
      popularity: 2,
      version: 1,
    });
    expect(mug?.price).to.deep.equal({ amount: 1500, currency: 'EUR' });
    expect(mug?.stock).to.deep.equal({ onHand: 8, reserved: 0, available: 8 });
    expect(await store.get('products', 'CUP-1')).to.deep.include({ popularity: 5 });
    expect((await store.get('products', 'CUP-1'))?.stock).to.deep.include({ reserved: 5 });
    expect(await store.get('products', 'PAN-1')).to.deep.include({ status: 'discontinued' });
  });

  it('answers product lookups by id, lists by name and price ranges', async () => {
    const byId = await store.find('products', { where: { productId: 'p-lamp' }, limit: 2 });
    expect(byId.items.map((doc) => doc.sku)).to.deep.equal(['LAMP-1']);
    const kitchen = {
      where: { category: 'kitchen' },
      sort: [{ field: 'name', direction: 'asc' as const }],
    };
    expect(await ids('products', { ...kitchen, limit: 10 })).to.deep.equal([
      'CUP-1',
      'MUG-1',
      'PAN-1',
    ]);
    const active = { category: 'kitchen', status: 'active' };
    expect(await ids('products', { ...kitchen, where: active, limit: 10 })).to.deep.equal([
      'CUP-1',
      'MUG-1',
    ]);
    const range = { where: { 'price.amount': { gte: 1000, lte: 3000 } }, limit: 10 };
    expect(
      await ids('products', { ...range, sort: [{ field: 'price.amount', direction: 'asc' }] }),
    ).to.deep.equal(['MUG-1', 'LAMP-1']);
  });

  it("lists a customer's orders newest first, optionally of one status", async () => {
    const newest = [{ field: 'placedAt', direction: 'desc' as const }];
    expect(
      await ids('orders', { where: { customerId: 'c-1' }, sort: newest, limit: 10 }),
    ).to.deep.equal(['o-3', 'o-2', 'o-1']);
    const cancelled = { customerId: 'c-1', status: 'cancelled' };
    expect(await ids('orders', { where: cancelled, sort: newest, limit: 10 })).to.deep.equal([
      'o-3',
      'o-2',
    ]);
    const shipped = await store.get('orders', 'o-1');
    expect(shipped).to.deep.include({ status: 'shipped', version: 3 });
    expect(shipped?.statusHistory).to.have.length(4);
  });

  it('keeps inventory per SKU', async () => {
    expect(await store.get('inventory', 'LAMP-1')).to.deep.include({
      onHand: 9,
      reserved: 0,
      available: 9,
    });
  });

  it("records every aggregate event with the write side's state after it", async () => {
    for (const [streamId, events] of history.byStream) {
      const [type, ...rest] = streamId.split('-');
      const where = { aggregateType: type as string, aggregateId: rest.join('-') };
      const sort = [{ field: 'version', direction: 'asc' as const }];
      const trail = (await store.find('audit_entries', { where, sort, limit: 100 })).items;
      expect(
        trail.map((entry) => entry.eventId),
        streamId,
      ).to.deep.equal(events.map((e) => e.eventId));
      const decider = aggregates[type as keyof typeof aggregates].decider as unknown as Decider<
        unknown,
        unknown,
        DomainEvent
      >;
      expect(foldTrail(type as AggregateType, trail as never), streamId).to.deep.equal(
        JSON.parse(
          JSON.stringify(
            foldEvents(
              decider,
              events.map(({ type, data }) => ({ type, data })),
            ),
          ),
        ),
      );
    }
    const byActor = await store.find('audit_entries', {
      where: { actor: 'order-clerk' },
      sort: [{ field: 'occurredAt', direction: 'desc' }],
      limit: 1,
    });
    expect(byActor.items[0]).to.deep.include({
      aggregateType: 'order',
      eventType: 'OrderConfirmed',
    });
  });

  it('keeps the search state like the products read model', async () => {
    for (const sku of ['MUG-1', 'CUP-1', 'PAN-1', 'LAMP-1']) {
      const state = await store.get('product_search_state', sku);
      expect(state, sku)
        .to.deep.equal(await store.get('products', sku))
        .and.not.equal(null);
    }
  });
});
