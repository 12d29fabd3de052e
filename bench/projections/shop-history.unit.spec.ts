import { expect } from 'chai';
import type { NewEvent } from '../../shared-kernel/events/envelope';
import { aggregates } from '../../write-side/aggregates';
import { emptyTally, shopHistory } from './shop-history';
import type { Append } from './shop-ledger';

function generate(events: number, products: number, seed = 7) {
  const tally = emptyTally();
  const appends: Append[] = [...shopHistory({ events, products, seed }, tally)];
  return {
    tally,
    appends,
    log: appends.flatMap((a) => a.events.map((e) => ({ ...e, streamId: a.streamId }))),
  };
}

type Logged = NewEvent & { streamId: string };
const dataOf = (event: Logged) => event.data as Record<string, unknown>;

describe('bench shop history (generated domain events)', () => {
  const { tally, appends, log } = generate(20_000, 300);

  it('stops at the requested number of events and tallies what it made', () => {
    expect(tally.events).to.equal(log.length);
    expect(log.length).to.be.within(20_000, 20_010);
    expect(tally.appends).to.equal(appends.length);
    const counted = [...tally.byType.values()].reduce((a, b) => a + b, 0);
    expect(counted).to.equal(log.length);
  });

  it('expects the exact revision each stream is at, so every append succeeds in order', () => {
    const revisions = new Map<string, number>();
    for (const append of appends) {
      const current = revisions.get(append.streamId) ?? -1;
      expect(append.expected).to.equal(current === -1 ? 'no_stream' : current);
      revisions.set(append.streamId, current + append.events.length);
    }
  });

  it('covers every lifecycle: catalog, stock, placed/confirmed/paid/shipped, cancelled, rejected', () => {
    const types = new Set(log.map((e) => e.type));
    for (const definition of Object.values(aggregates)) {
      for (const type of Object.keys(definition.schemaVersions))
        expect(types, type).to.include(type);
    }
    expect(tally.orders).to.be.greaterThan(500);
  });

  it('follows the saga: a confirmation comes after a reservation of every line of its order', () => {
    const reserved = new Map<string, Set<string>>();
    const lines = new Map<string, string[]>();
    for (const event of log) {
      const data = dataOf(event);
      if (event.type === 'OrderPlaced') {
        const skus = (data.lines as { sku: string }[]).map((l) => l.sku);
        lines.set(data.orderId as string, skus);
      }
      if (event.type === 'StockReserved') {
        expect(lines.has(data.orderId as string), 'reserved before placement').to.equal(true);
        const set = reserved.get(data.orderId as string) ?? new Set();
        reserved.set(data.orderId as string, set.add(data.sku as string));
      }
      if (event.type === 'OrderConfirmed') {
        const held = reserved.get(data.orderId as string) ?? new Set();
        expect([...held].sort()).to.deep.equal([...lines.get(data.orderId as string)!].sort());
      }
    }
  });

  it('writes metadata as the command handler does: schema versions, causation, rising times', () => {
    let previous = '';
    for (const event of log) {
      const versions = Object.values(aggregates).find((d) =>
        event.streamId.startsWith(d.streamPrefix),
      )!;
      expect(event.metadata.schemaVersion).to.equal(versions.schemaVersions[event.type]);
      expect(event.metadata.causationId).to.be.a('string');
      expect(event.metadata.occurredAt > previous).to.equal(true);
      previous = event.metadata.occurredAt;
    }
    expect(new Set(log.map((e) => e.eventId)).size).to.equal(log.length);
  });

  it('holds the state of products, stock and orders in flight only, not of every order', () => {
    expect(tally.heldStreams).to.be.at.most(2 * 300 + 64);
  });

  it('is reproducible: the same seed makes the same sequence of streams and types', () => {
    const again = generate(3_000, 100, 11).log.map((e) => `${e.streamId.split('-')[0]}:${e.type}`);
    const first = generate(3_000, 100, 11).log.map((e) => `${e.streamId.split('-')[0]}:${e.type}`);
    const other = generate(3_000, 100, 12).log.map((e) => `${e.streamId.split('-')[0]}:${e.type}`);
    expect(again).to.deep.equal(first);
    expect(other).not.to.deep.equal(first);
  });
});
