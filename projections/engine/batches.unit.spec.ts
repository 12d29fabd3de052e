import { expect } from 'chai';
import type { SubscriptionMessage } from '../../shared-kernel/event-store/port';
import type { RecordedEvent } from '../../shared-kernel/events/envelope';
import { batchesOf, type BatchMessage } from './batches';
import { MAX_PARTITIONS } from './partitions';

function recorded(position: number, streamId: string): RecordedEvent {
  return {
    eventId: `e-${position}`,
    type: 'OrderPlaced',
    data: null,
    metadata: {} as RecordedEvent['metadata'],
    streamId,
    revision: 0,
    position: String(position),
    recordedAt: '2026-12-07T00:00:00.000Z',
  };
}

/** A caught-up log of `count` events over streams s-0..s-(streams-1), then its end. */
async function* log(count: number, streams: number): AsyncGenerator<SubscriptionMessage> {
  for (let i = 1; i <= count; i++) {
    yield { kind: 'event', event: recorded(i, `s-${i % streams}`) };
  }
  yield { kind: 'caught-up', position: String(count) };
}

async function collect(source: AsyncGenerator<BatchMessage>): Promise<RecordedEvent[][]> {
  const batches: RecordedEvent[][] = [];
  for await (const message of source) if (message.kind === 'batch') batches.push(message.events);
  return batches;
}

const options = { maxSize: 10, maxWaitMs: 1000 };

describe('batchesOf: batch size counts the events the processor folds', () => {
  it('cuts a whole processor every maxSize events', async () => {
    const batches = await collect(batchesOf(log(35, 4), options));
    expect(batches.map((batch) => batch.length)).to.deep.equal([10, 10, 10, 5]);
  });

  it('gives a partition maxSize events of its own per batch, whatever it reads around them', async () => {
    const ownStream = (event: RecordedEvent) => event.streamId === 's-0';
    const batches = await collect(batchesOf(log(120, 4), options, ownStream));
    // One event in four is its own: 10 of its own in every full batch of 40, none lost.
    expect(batches.map((batch) => batch.filter(ownStream).length)).to.deep.equal([10, 10, 10]);
    expect(batches.map((batch) => batch.length)).to.deep.equal([40, 40, 40]);
    expect(batches.flat().map((event) => event.position)).to.deep.equal(
      Array.from({ length: 120 }, (_, i) => String(i + 1)),
    );
  });

  it('bounds a batch of events it does not fold at maxSize times the partition limit', async () => {
    const total = options.maxSize * MAX_PARTITIONS + 5;
    const batches = await collect(batchesOf(log(total, 4), options, () => false));
    expect(batches.map((batch) => batch.length)).to.deep.equal([total - 5, 5]);
  });
});
