import { expect } from 'chai';
import fc from 'fast-check';
import { StrataError } from '../../shared-kernel/errors';
import type { RecordedEvent } from '../../shared-kernel/events/envelope';
import type { StockItemCommand } from '../../write-side/inventory/stock-item/commands';
import { stockItemDecider } from '../../write-side/inventory/stock-item/decider';
import { integrationMessageFor } from './mapping';
import { mirrorFoldOf } from './mirror-state';

const sku = 'MUG-1';
const orders = ['o-1', 'o-2', 'o-3', 'o-4', 'o-5'];

const stockCommand: fc.Arbitrary<StockItemCommand> = fc.oneof(
  fc.record({
    type: fc.constant('ReceiveStock' as const),
    data: fc.record({ sku: fc.constant(sku), quantity: fc.integer({ min: 1, max: 9 }) }),
  }),
  fc.record({
    type: fc.constant('AdjustStock' as const),
    data: fc.record({
      sku: fc.constant(sku),
      quantity: fc.integer({ min: -3, max: 3 }).filter((q) => q !== 0),
      reason: fc.constant('count'),
    }),
  }),
  fc.record({
    type: fc.constant('ReserveStock' as const),
    data: fc.record({
      sku: fc.constant(sku),
      orderId: fc.constantFrom(...orders),
      quantity: fc.integer({ min: 1, max: 6 }),
    }),
  }),
  fc.record({
    type: fc.constantFrom('ReleaseReservation' as const, 'CommitReservation' as const),
    data: fc.record({ sku: fc.constant(sku), orderId: fc.constantFrom(...orders) }),
  }),
);

/** Runs commands through the real decider; refusals (a rule broken) append nothing. */
function stockHistory(commands: StockItemCommand[]) {
  let state = stockItemDecider.initialState;
  const steps: { event: RecordedEvent; state: typeof state }[] = [];
  for (const command of commands) {
    let decided: ReturnType<typeof stockItemDecider.decide> = [];
    try {
      decided = stockItemDecider.decide(command, state);
    } catch (error) {
      if (!(error instanceof StrataError)) throw error;
    }
    for (const event of decided) {
      state = stockItemDecider.evolve(state, event);
      const n = steps.length;
      const recorded = {
        ...event,
        eventId: `e-${n}`,
        streamId: `stock-${sku}`,
        revision: n,
        position: String(n).padStart(16, '0'),
        recordedAt: '2026-05-01T10:00:00.000Z',
        metadata: {
          correlationId: 'c',
          causationId: null,
          actor: 'a',
          occurredAt: '2026-05-01T10:00:00.000Z',
          schemaVersion: 1,
        },
      } as RecordedEvent;
      steps.push({ event: recorded, state });
    }
  }
  return steps;
}

describe("the Kafka mirror's bounded state per stream", () => {
  it('maps every stock event to the same message as the whole decider state would', () => {
    const fold = mirrorFoldOf('stock')!;
    fc.assert(
      fc.property(fc.array(stockCommand, { maxLength: 80 }), (commands) => {
        let kept: unknown = fold.initial;
        for (const { event, state } of stockHistory(commands)) {
          // Through JSON, as the document store keeps it between batches.
          kept = JSON.parse(JSON.stringify(fold.evolve(kept, event)));
          const mirrored = integrationMessageFor('stock', event, kept);
          expect(JSON.stringify(mirrored)).to.equal(
            JSON.stringify(integrationMessageFor('stock', event, state)),
          );
        }
      }),
      { numRuns: 300 },
    );
  });

  it('keeps a stock state of constant size however many orders the SKU served', () => {
    const fold = mirrorFoldOf('stock')!;
    const commands: StockItemCommand[] = [{ type: 'ReceiveStock', data: { sku, quantity: 5000 } }];
    for (let n = 0; n < 1000; n++) {
      const orderId = `order-${n}`;
      commands.push({ type: 'ReserveStock', data: { sku, orderId, quantity: 1 } });
      commands.push({ type: 'CommitReservation', data: { sku, orderId } });
    }
    let kept: unknown = fold.initial;
    const sizes: number[] = [];
    for (const { event } of stockHistory(commands)) {
      kept = fold.evolve(kept, event);
      sizes.push(JSON.stringify(kept).length);
    }
    expect(kept).to.deep.include({ onHand: 4000, reserved: 0 });
    expect(Math.max(...sizes)).to.be.at.most(60);
  });

  it('keeps nothing for SKU streams, whose events are internal', () => {
    expect(mirrorFoldOf('sku')).to.equal(null);
  });
});
