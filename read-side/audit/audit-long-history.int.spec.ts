import { expect } from 'chai';
import request from 'supertest';
import {
  AUDIT_COLLECTION,
  AUDIT_STATE_EVERY,
  type AuditEntry,
} from '../../projections/read-models/audit';
import { STATE_MAX_SPACING } from '../../shared-kernel/state-spacing';
import { foldEvents, type Decider } from '../../shared-kernel/decider';
import { findAll } from '../../shared-kernel/document-store/find-all';
import type { DomainEvent } from '../../shared-kernel/events/envelope';
import { newId } from '../../shared-kernel/ids';
import { aggregates, domainEventUpcasting } from '../../write-side/aggregates';
import { testContext } from '../../write-side/command-handling/command-handler.fixtures';
import { toNewEvents } from '../../write-side/command-handling/new-events';
import { commandsOf, openQueryFixture, type QueryFixture } from '../query-app.fixtures';

const CHANGES = 2 * AUDIT_STATE_EVERY + 50;
const minute = (n: number) => new Date(Date.parse('2025-04-01T00:00:00.000Z') + n * 60_000);
/** The price after version v: created at 1000, then version v sets 1000 + v. */
const priceAt = (version: number) => 1000 + version;

/**
 * A product with more history than one state checkpoint covers: every answer must be the one
 * a whole fold would give, wherever the version falls between checkpoints.
 */
describe('temporal audit queries over a history spanning several state checkpoints', function () {
  this.timeout(60_000);
  let fx: QueryFixture;
  let productId: string;

  before(async () => {
    fx = await openQueryFixture();
    const cmd = commandsOf(fx);
    fx.setClock(minute(0).toISOString());
    productId = (
      await cmd.createProduct({ sku: 'LONG-1', name: 'Long', category: 'c', amount: 1000 })
    ).id;
    for (let v = 1; v <= CHANGES; v++) {
      fx.setClock(minute(v).toISOString());
      await cmd.changePrice(productId, priceAt(v));
    }
    await fx.project();
  });
  after(() => fx.close());

  const state = async (query: string) =>
    (await request(fx.app).get(`/audit/product/${productId}/state?${query}`).expect(200)).body;

  it('answers the state at any version as a whole fold would', async () => {
    const last = CHANGES;
    for (const v of [
      0,
      1,
      AUDIT_STATE_EVERY - 1,
      AUDIT_STATE_EVERY,
      AUDIT_STATE_EVERY + 1,
      2 * AUDIT_STATE_EVERY + 7,
      last,
    ]) {
      const body = await state(`version=${v}`);
      expect(body.version, `v${v}`).to.equal(v);
      expect(body.state.price, `v${v}`).to.deep.equal({ amount: priceAt(v), currency: 'EUR' });
    }
    await request(fx.app)
      .get(`/audit/product/${productId}/state?version=${last + 1}`)
      .expect(404);
  });

  it('answers the state as of a time between two changes', async () => {
    const between = new Date(minute(AUDIT_STATE_EVERY + 42).getTime() + 30_000).toISOString();
    const body = await state(`asOf=${between}`);
    expect(body).to.include({ version: AUDIT_STATE_EVERY + 42 });
    expect(body.state.price.amount).to.equal(priceAt(AUDIT_STATE_EVERY + 42));
  });

  it('diffs across checkpoints and lists every event in between', async () => {
    const [from, to] = [AUDIT_STATE_EVERY - 5, 2 * AUDIT_STATE_EVERY + 5];
    const res = await request(fx.app)
      .get(`/audit/product/${productId}/diff?fromVersion=${from}&toVersion=${to}`)
      .expect(200);
    expect(res.body.changes).to.deep.equal([
      { path: 'price.amount', before: priceAt(from), after: priceAt(to) },
    ]);
    expect(res.body.events.map((e: { version: number }) => e.version)).to.deep.equal(
      Array.from({ length: to - from }, (_, i) => from + 1 + i),
    );
  });
});

/** A stock item received once, then reserved for `count` orders whose ids are `idLength` long. */
const reservations = (sku: string, count: number, idLength: number): DomainEvent[] => [
  { type: 'StockReceived', data: { sku, quantity: 1_000_000, reference: null } },
  ...Array.from({ length: count }, (_, n) => ({
    type: 'StockReserved',
    data: { sku, orderId: `order-${n}-`.padEnd(idLength, 'x'), quantity: 1 + (n % 3) },
  })),
];

/**
 * A hot SKU's state holds its open reservations, so its checkpoints are spaced by their size:
 * a query at any version still folds from the checkpoint at or before it to a whole fold's answer.
 */
describe('temporal audit queries over a big state whose checkpoints are spaced by size', function () {
  this.timeout(120_000);
  let fx: QueryFixture;
  const hot = reservations('HOT-1', 3_000, 10);
  // About 1 KB more state per event: unbounded, the spacing would pass a page of entries.
  const huge = reservations('HUGE-1', 1_600, 1_000);
  const decider = aggregates.stock.decider as unknown as Decider<unknown, unknown, DomainEvent>;
  const upcasting = domainEventUpcasting();

  async function append(streamId: string, history: DomainEvent[]) {
    for (let i = 0; i < history.length; i += 500) {
      const events = toNewEvents(history.slice(i, i + 500), newId(), testContext(), upcasting);
      await fx.events.append(streamId, events, i === 0 ? 'no_stream' : i - 1);
    }
  }

  const trailOf = (sku: string) =>
    findAll<AuditEntry>(fx.documents, AUDIT_COLLECTION, {
      where: { aggregateType: 'stock', aggregateId: sku },
      sort: [{ field: 'version', direction: 'asc' }],
    });

  async function expectWholeFold(sku: string, history: DomainEvent[], versions: number[]) {
    for (const v of versions) {
      const res = await request(fx.app).get(`/audit/stock/${sku}/state?version=${v}`).expect(200);
      const whole = JSON.parse(JSON.stringify(foldEvents(decider, history.slice(0, v + 1))));
      expect(res.body.version, `${sku} v${v}`).to.equal(v);
      expect(res.body.state, `${sku} v${v}`).to.deep.equal(whole);
    }
  }

  before(async () => {
    fx = await openQueryFixture();
    await append('stock-HOT-1', hot);
    await append('stock-HUGE-1', huge);
    await fx.project(['audit']);
  });
  after(() => fx.close());

  it('stores fewer checkpoints than one per AUDIT_STATE_EVERY, and answers any version as a whole fold', async () => {
    const items = await trailOf('HOT-1');
    const checkpoints = items.filter((entry) => entry.state !== undefined);
    expect(items).to.have.length(hot.length);
    expect(checkpoints.length).to.be.below(hot.length / AUDIT_STATE_EVERY / 2);
    const between = checkpoints.map((c) => c.version).filter((v) => v > 0);
    await expectWholeFold('HOT-1', hot, [
      0,
      1,
      between[0]! - 1,
      between[0]!,
      between[1]! + 7,
      hot.length - 1,
    ]);
  });

  it('never spaces checkpoints further than STATE_MAX_SPACING, what one query reads', async () => {
    const versions = (await trailOf('HUGE-1'))
      .filter((entry) => entry.state !== undefined)
      .map((entry) => entry.version);
    const gaps = versions.slice(1).map((v, i) => v - versions[i]!);
    expect(Math.max(...gaps)).to.equal(STATE_MAX_SPACING);
    await expectWholeFold('HUGE-1', huge, [versions.at(-1)! - 1, huge.length - 1]);
  });
});
