import { expect } from 'chai';
import path from 'node:path';
import { openSqliteDocumentStore } from '../../shared-kernel/document-store/sqlite/sqlite-document-store';
import type { Position, RecordedEvent } from '../../shared-kernel/events/envelope';
import { checkFulfillment, fulfillmentProblems } from '../../test/support/fulfillment-check';
import { openShopStores, type ShopStores } from '../../test/support/shop-stores';
import { placeOrders, planShop, stockShop, type ShopPlan } from '../../test/support/shop-traffic';
import { foldBatch } from '../engine/fold-batch';
import { commitEvents } from '../engine/commit';
import { ignoreProgress, type ProcessorSpec } from '../engine/processor';
import { SAGA_ACTOR, sagaProcessor } from './saga-processor';

const NO_PROBLEMS = {
  undecided: [],
  severalOutcomes: [],
  wrongOutcome: [],
  reservationRepeats: [],
  stockMismatches: [],
};

async function eventsAfter(shop: ShopStores, after: Position | null, maxCount: number) {
  const batch: RecordedEvent[] = [];
  for await (const event of shop.events.readAll({ after, maxCount })) batch.push(event);
  return batch;
}

/**
 * The engine's commit path with every batch delivered twice: its effect runs once on its own
 * (the worker died before the commit), then the whole batch again through commitEvents, from
 * the same state and checkpoint, as a restarted worker would replay it.
 */
async function settleDeliveringTwice(shop: ShopStores, spec: ProcessorSpec): Promise<number> {
  const context = { spec, store: shop.documents, upcast: shop.upcast };
  for (const collection of spec.projection.collections) {
    await shop.documents.ensureCollection(collection);
  }
  let checkpoint = await shop.documents.getCheckpoint(spec.projection.name);
  let batches = 0;
  for (;;) {
    const batch = await eventsAfter(shop, checkpoint, 40);
    const last = batch.at(-1);
    if (!last) return batches;
    const relevant = batch.filter((e) => spec.projection.handles.has(e.type));
    const { trace } = await foldBatch(spec.projection, shop.documents, relevant, { traced: true });
    if (trace.length > 0) await spec.effect?.(trace, ignoreProgress);
    await commitEvents(context, { events: relevant, from: checkpoint, to: last.position });
    checkpoint = last.position;
    batches += 1;
  }
}

describe('fulfillment saga host (sagaProcessor) over the real SQLite stores', function () {
  this.timeout(60_000);
  let shop: ShopStores;
  let plan: ShopPlan;
  let saga: ProcessorSpec;

  beforeEach(async () => {
    shop = openShopStores('strata-saga-');
    saga = sagaProcessor(shop.handler, shop.logger);
    plan = planShop(200);
    await stockShop(shop.dispatch, plan);
  });
  afterEach(async () => shop.close());

  it('decides each of 200 orders exactly once while orders keep arriving, and the stock agrees', async () => {
    await placeOrders(shop.dispatch, plan.orders.slice(0, 100));
    const runner = await shop.startRunner(saga);
    await placeOrders(shop.dispatch, plan.orders.slice(100));
    await shop.settle(runner);

    const report = await checkFulfillment(shop.events, plan);
    expect(fulfillmentProblems(report)).to.deep.equal(NO_PROBLEMS);
    expect(report.confirmed.length + report.rejected.length).to.equal(200);
    const hot = plan.orders.filter((o) => o.kind === 'hot').map((o) => o.orderId);
    const hotConfirmed = hot.filter((id) => report.confirmed.includes(id));
    // Demand for the hot SKU (about 120 units) outruns its 40: some of each outcome.
    expect(hotConfirmed.length).to.be.within(1, hot.length - 1);
    expect(runner.status()).to.include({ parkedStreams: 0, lastError: null });
  });

  it('issues nothing twice when every batch is delivered twice (effect, crash, replay)', async () => {
    await placeOrders(shop.dispatch, plan.orders);
    const batches = await settleDeliveringTwice(shop, saga);

    expect(batches).to.be.greaterThan(10);
    const report = await checkFulfillment(shop.events, plan);
    expect(fulfillmentProblems(report)).to.deep.equal(NO_PROBLEMS);
    expect(report.confirmed.length + report.rejected.length).to.equal(200);
  });

  it('appends nothing when the decided log is replayed with the state kept, or from scratch', async () => {
    await placeOrders(shop.dispatch, plan.orders);
    const first = await shop.startRunner(saga);
    await shop.settle(first);
    const head = await shop.events.headPosition();
    const before = await checkFulfillment(shop.events, plan);

    // State kept, checkpoint ignored: every saga event redelivered behind the checkpoint.
    const context = { spec: saga, store: shop.documents, upcast: shop.upcast };
    for (let after: Position | null = null; ;) {
      const batch = await eventsAfter(shop, after, 500);
      if (batch.length === 0) break;
      const relevant = batch.filter((e) => saga.projection.handles.has(e.type));
      await commitEvents(context, { events: relevant, from: null, to: null });
      after = (batch.at(-1) as RecordedEvent).position;
    }
    expect(await shop.events.headPosition()).to.equal(head);

    // State and checkpoint lost (a new read-model file): the saga re-decides the whole log.
    const fresh = openSqliteDocumentStore({ file: path.join(shop.dataDir, 'fresh.db') });
    try {
      const second = await shop.startRunner(saga, fresh);
      await shop.settle(second);
      await second.stop();
      expect(second.status().eventsProcessed).to.equal(shop.events.eventsBetween?.(null, head));
    } finally {
      await fresh.close();
    }
    expect(await shop.events.headPosition()).to.equal(head);
    expect(await checkFulfillment(shop.events, plan)).to.deep.equal(before);
  });

  it('stamps its events with the time it decided, not the time of the event that triggered it', async () => {
    const decidedAt = new Date(Date.now() + 120_000);
    await placeOrders(shop.dispatch, plan.orders.slice(0, 20));
    const runner = await shop.startRunner(
      sagaProcessor(shop.handler, shop.logger, { now: () => decidedAt }),
    );
    await shop.settle(runner);
    const stamps = new Set<string>();
    for await (const event of shop.events.readAll({})) {
      if (event.metadata.actor === SAGA_ACTOR) stamps.add(event.metadata.occurredAt);
    }
    expect([...stamps]).to.deep.equal([decidedAt.toISOString()]);
  });
});
