import { expect } from 'chai';
import { checkDeclaration } from '../../shared-kernel/document-store/declaration';
import { foldEvents, type Decider } from '../../shared-kernel/decider';
import type { DomainEvent, RecordedEvent } from '../../shared-kernel/events/envelope';
import { aggregates, type AggregateType } from '../../write-side/aggregates';
import {
  AUDIT_STATE_EVERY,
  auditCollection,
  auditEntryId,
  auditProjection,
  checkpointingOf,
  type AuditEntry,
} from './audit';
import { foldTrail } from './audit-state';
import { mugCreated, mugId, movedLines, orderId, orderPlaced, stream } from './domain.fixtures';
import { docIn, eur, eventLog, project, type Documents } from './read-model.fixtures';

describe('audit read model', () => {
  const projection = auditProjection();
  let record: ReturnType<typeof eventLog>;
  beforeEach(() => (record = eventLog()));
  const entry = (documents: Documents, event: RecordedEvent) =>
    docIn(documents, 'audit_entries', auditEntryId(event.streamId, event.revision));
  const domain = (events: RecordedEvent[]) => events.map(({ type, data }) => ({ type, data }));
  /** The stream's entries from the checkpoint at or before `version` up to it, as a query reads them. */
  const trailUpTo = (documents: Documents, streamId: string, version: number) => {
    const entries: AuditEntry[] = [];
    const at = docIn(documents, 'audit_entries', auditEntryId(streamId, version));
    if (!at) return entries;
    for (let v = checkpointingOf(at as unknown as AuditEntry).checkpoint; v <= version; v++) {
      const found = docIn(documents, 'audit_entries', auditEntryId(streamId, v));
      if (found) entries.push(found as unknown as AuditEntry);
    }
    return entries;
  };
  const withState = (documents: Documents) =>
    [...documents.values()]
      .filter((doc) => doc !== null && doc.state !== undefined)
      .map((doc) => doc?.version);

  it('records one entry per event with its metadata and the state after it', () => {
    const created = record(stream.mug, 'ProductCreated', mugCreated, {
      actor: 'alice',
      correlationId: 'corr-9',
      causationId: 'cmd-1',
    });
    expect(entry(project(projection, [created]), created)).to.deep.equal({
      aggregateType: 'product',
      aggregateId: mugId,
      streamId: stream.mug,
      version: 0,
      eventId: created.eventId,
      eventType: 'ProductCreated',
      occurredAt: created.metadata.occurredAt,
      recordedAt: created.recordedAt,
      actor: 'alice',
      correlationId: 'corr-9',
      causationId: 'cmd-1',
      traceId: null,
      position: created.position,
      data: mugCreated,
      state: { status: 'active', ...mugCreated },
      checkpoint: 0,
      nextCheckpoint: AUDIT_STATE_EVERY,
      stateVersion: aggregates.product.stateVersion,
    });
  });

  it('keeps the trace id of the span the event was appended in, for going from a timeline to its trace', () => {
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const traced = record(stream.mug, 'ProductCreated', mugCreated, {
      traceparent: `00-${traceId}-b7ad6b7169203331-01`,
      tracestate: 'vendor=1',
    });
    expect(entry(project(projection, [traced]), traced)?.traceId).to.equal(traceId);
  });

  it("gives every version the write side's own fold, from the checkpoint at or before it", () => {
    const sku = 'MUG-001';
    const histories = {
      product: [
        record(stream.mug, 'ProductCreated', mugCreated),
        record(stream.mug, 'ProductDetailsUpdated', { productId: mugId, sku, name: 'Big mug' }),
        record(stream.mug, 'ProductPriceChanged', {
          productId: mugId,
          sku,
          previousPrice: eur(1299),
          price: eur(1499),
        }),
        record(stream.mug, 'ProductDiscontinued', { productId: mugId, sku, reason: 'old' }),
      ],
      stock: [
        record(stream.mugStock, 'StockReceived', { sku, quantity: 5, reference: null }),
        record(stream.mugStock, 'StockReserved', { sku, orderId, quantity: 2 }),
        record(stream.mugStock, 'StockReservationRejected', {
          sku,
          orderId: 'o-2',
          quantity: 9,
          available: 3,
        }),
        record(stream.mugStock, 'StockReservationCommitted', { sku, orderId, quantity: 2 }),
      ],
      order: [
        record(stream.order, 'OrderPlaced', orderPlaced),
        record(stream.order, 'OrderConfirmed', { orderId, lines: movedLines, confirmedAt: 't1' }),
        record(stream.order, 'PaymentRecorded', {
          orderId,
          amount: orderPlaced.total,
          paymentReference: 'pay-1',
          paidAt: 't2',
        }),
        record(stream.order, 'OrderShipped', {
          orderId,
          carrier: 'DHL',
          trackingNumber: 'trk',
          shippedAt: 't3',
        }),
      ],
      sku: [record('sku-MUG-001', 'SkuReserved', { sku, productId: mugId })],
    };
    // Interleaved as they would be in $all: entries must chain per stream, not per batch.
    const all = [...Object.values(histories).flat()].sort((a, b) =>
      a.position < b.position ? -1 : 1,
    );
    const documents = project(projection, all);
    for (const [type, events] of Object.entries(histories)) {
      const decider = aggregates[type as keyof typeof aggregates].decider as unknown as Decider<
        unknown,
        unknown,
        DomainEvent
      >;
      events.forEach((event, n) => {
        const expected = foldEvents(decider, domain(events.slice(0, n + 1)));
        const trail = trailUpTo(documents, event.streamId, n);
        expect(foldTrail(type as AggregateType, trail), `${type} v${n}`).to.deep.equal(expected);
        expect(entry(documents, event)?.aggregateType).to.equal(type);
      });
    }
  });

  it('keeps each event once and the state only on checkpoints, whether or not states are remembered', () => {
    const sku = 'MUG-001';
    const created = record(stream.mug, 'ProductCreated', mugCreated);
    const changes = Array.from({ length: 2 * AUDIT_STATE_EVERY + 30 }, (_, n) =>
      record(stream.mug, 'ProductPriceChanged', {
        productId: mugId,
        sku,
        previousPrice: eur(1000 + n),
        price: eur(1001 + n),
      }),
    );
    const events = [created, ...changes];
    // In batches of 7, as the engine would hand them over: the result must not depend on it.
    // Every other batch sees copies read back from the store, as after a restart: it folds the
    // previous state from the checkpoint instead of remembering it.
    let documents: Documents = new Map();
    for (let i = 0; i < events.length; i += 7) {
      const seen = i % 14 === 0 ? documents : (JSON.parse(JSON.stringify([...documents])) as never);
      documents = project(projection, events.slice(i, i + 7), new Map(seen));
    }
    expect(documents.size).to.equal(events.length);
    const last = events.length - 1;
    expect(withState(documents)).to.have.members([0, AUDIT_STATE_EVERY, 2 * AUDIT_STATE_EVERY]);
    const decider = aggregates.product.decider as unknown as Decider<unknown, unknown, DomainEvent>;
    for (const n of [0, 1, 99, 100, 101, 199, 200, 217, last]) {
      const trail = trailUpTo(documents, stream.mug, n);
      expect(trail.length, `entries read for v${n}`).to.be.at.most(AUDIT_STATE_EVERY);
      expect(foldTrail('product', trail), `v${n}`).to.deep.equal(
        foldEvents(decider, domain(events.slice(0, n + 1))),
      );
    }
    expect(project(projection, events, documents), 'replayed from the start').to.deep.equal(
      documents,
    );
    expect(
      project(projection, events.slice(150, 160), documents),
      'an old batch again',
    ).to.deep.equal(documents);
  });

  it('spaces checkpoints of a big state by its size, so they cost a bounded number of bytes per entry', () => {
    const sku = 'MUG-001';
    // A hot SKU: its open reservations, and so its state, grow with every order.
    const events = [
      record(stream.mugStock, 'StockReceived', { sku, quantity: 100_000, reference: null }),
      ...Array.from({ length: 3_000 }, (_, n) =>
        record(stream.mugStock, 'StockReserved', { sku, orderId: `order-${n}`, quantity: 1 }),
      ),
    ];
    let documents: Documents = new Map();
    for (let i = 0; i < events.length; i += 50) {
      const seen =
        i % 100 === 0 ? documents : (JSON.parse(JSON.stringify([...documents])) as never);
      documents = project(projection, events.slice(i, i + 50), new Map(seen));
    }
    const checkpoints = [...documents.values()]
      .map((doc) => doc as unknown as AuditEntry)
      .filter((doc) => doc.state !== undefined)
      .sort((a, b) => a.version - b.version);
    const lengths = checkpoints.map((doc) => JSON.stringify(doc.state).length);
    expect(checkpoints.length).to.be.within(4, events.length / AUDIT_STATE_EVERY / 2);
    for (let i = 1; i < checkpoints.length; i++) {
      const spacing = Math.max(AUDIT_STATE_EVERY, Math.ceil(lengths[i - 1]! / 256));
      expect(checkpoints[i]!.version - checkpoints[i - 1]!.version).to.equal(spacing);
    }
    const stateBytes = lengths.reduce((sum, length) => sum + length, 0);
    expect(stateBytes / events.length, 'checkpoint bytes per entry').to.be.below(3 * 256);
    const decider = aggregates.stock.decider as unknown as Decider<unknown, unknown, DomainEvent>;
    for (const n of [0, 99, 100, 101, 1_234, events.length - 1]) {
      const trail = trailUpTo(documents, stream.mugStock, n);
      expect(foldTrail('stock', trail), `v${n}`).to.deep.equal(
        foldEvents(decider, domain(events.slice(0, n + 1))),
      );
    }
  });

  it("reads its own entry (a replay writes nothing) and the previous one's state", () => {
    const first = record(stream.order, 'OrderPlaced', orderPlaced);
    const second = record(stream.order, 'OrderConfirmed', { orderId, lines: [], confirmedAt: 't' });
    expect(projection.reads(first)).to.deep.equal([
      { collection: 'audit_entries', id: auditEntryId(stream.order, 0) },
    ]);
    expect(projection.reads(second)).to.deep.equal([
      { collection: 'audit_entries', id: auditEntryId(stream.order, 0) },
      { collection: 'audit_entries', id: auditEntryId(stream.order, 1) },
    ]);
  });

  it('treats a state stored in another stateVersion as unknown, rather than fold it with new code', () => {
    const sku = 'MUG-001';
    const events = [
      record(stream.mugStock, 'StockReceived', { sku, quantity: 5, reference: null }),
      record(stream.mugStock, 'StockReserved', { sku, orderId, quantity: 2 }),
    ];
    const [first, second] = events as [RecordedEvent, RecordedEvent];
    const current = project(projection, [first]);
    // The entry as an older version of the code stored it.
    const stale: Documents = new Map([
      [
        `audit_entries/${auditEntryId(first.streamId, 0)}`,
        { ...entry(current, first), stateVersion: 0 } as never,
      ],
    ]);
    const documents = project(projection, [second], stale);
    expect(entry(documents, second)).to.deep.include({ version: 1, state: null });
    expect(foldTrail('stock', trailUpTo(stale, first.streamId, 0))).to.equal(null);
    const fresh = project(projection, events);
    const decider = aggregates.stock.decider as unknown as Decider<unknown, unknown, DomainEvent>;
    expect(foldTrail('stock', trailUpTo(fresh, second.streamId, 1))).to.deep.equal(
      foldEvents(decider, domain(events)),
    );
  });

  it('has no state where the entry before is missing, rather than a state folded from a gap', () => {
    record(stream.mug, 'ProductCreated', mugCreated);
    const later = [
      record(stream.mug, 'ProductPriceChanged', {
        productId: mugId,
        sku: 'MUG-001',
        previousPrice: eur(1299),
        price: eur(1),
      }),
      record(stream.mug, 'ProductDiscontinued', { productId: mugId, sku: 'MUG-001', reason: null }),
    ];
    const documents = project(projection, later);
    for (const event of later) {
      expect(entry(documents, event)).to.deep.include({ version: event.revision });
      const trail = trailUpTo(documents, stream.mug, event.revision);
      expect(foldTrail('product', trail), `v${event.revision}`).to.equal(null);
    }
    expect(entry(documents, later[1]!)).to.deep.include({ state: null });
  });

  it('skips foreign streams, and keeps the state for an event its aggregate does not know', () => {
    const foreign = record('billing-1', 'ProductCreated', mugCreated);
    expect(projection.reads(foreign)).to.deep.equal([]);
    expect(projection.apply(foreign, new Map())).to.deep.equal([]);
    const created = record(stream.mug, 'ProductCreated', mugCreated);
    const stray = record(stream.mug, 'StockReceived', { sku: 'MUG-001', quantity: 1 });
    const documents = project(projection, [created, stray]);
    expect(entry(documents, stray)).to.deep.include({ eventType: 'StockReceived', version: 1 });
    expect(foldTrail('product', trailUpTo(documents, stream.mug, 1))).to.deep.equal(
      entry(documents, created)?.state,
    );
  });

  it('is idempotent: applying an event again writes the same entry', () => {
    const events = [
      record(stream.mugStock, 'StockReceived', { sku: 'MUG-001', quantity: 5, reference: null }),
      record(stream.mugStock, 'StockAdjusted', { sku: 'MUG-001', quantity: -1, reason: 'r' }),
    ];
    const once = project(projection, events);
    expect(project(projection, events, once)).to.deep.equal(once);
    expect(once.size).to.equal(2);
  });

  it('handles every event type of every aggregate', () => {
    for (const definition of Object.values(aggregates)) {
      expect([...projection.handles]).to.include.members(Object.keys(definition.schemaVersions));
    }
  });

  it('keys entries so that they sort like versions, and declares valid indexes', () => {
    expect(auditEntryId('order-1', 9) < auditEntryId('order-1', 10)).to.equal(true);
    expect(auditEntryId('order-1', 10)).to.equal('order-1@0000000010');
    const fields = checkDeclaration(auditCollection()).indexes.map((index) =>
      index.fields.map((f) => `${f.field}:${f.direction}`).join(','),
    );
    expect(fields).to.include.members([
      'aggregateType:asc,aggregateId:asc,version:asc',
      'aggregateType:asc,aggregateId:asc,occurredAt:desc,version:desc',
      'occurredAt:desc',
      'actor:asc,occurredAt:desc',
      'eventType:asc,occurredAt:desc',
      'aggregateType:asc,occurredAt:desc',
    ]);
  });
});
