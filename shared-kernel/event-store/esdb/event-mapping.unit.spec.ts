import type { RecordedEvent as EsdbRecordedEvent } from '@eventstore/db-client';
import { expect } from 'chai';
import { StoreError, ValidationError } from '../../errors';
import type { NewEvent } from '../../events/envelope';
import { newId } from '../../ids';
import { isSystemEvent, toEventData, toRecordedEvent } from './event-mapping';

const metadata = {
  correlationId: 'c-1',
  causationId: null,
  actor: 'user:ann',
  occurredAt: '2026-01-02T03:04:05.000Z',
  schemaVersion: 2,
};

function event(overrides: Partial<NewEvent> = {}): NewEvent {
  return {
    eventId: newId(),
    type: 'ProductCreated',
    data: { name: 'Lamp' },
    metadata,
    ...overrides,
  };
}

function stored(overrides: Record<string, unknown> = {}): EsdbRecordedEvent {
  return {
    streamId: 'product-1',
    id: '0190c2a4-8b5e-7cc1-9a6e-2f1d3c4b5a69',
    isJson: true,
    revision: 3n,
    type: 'ProductCreated',
    created: new Date('2026-01-02T03:04:06.789Z'),
    data: { name: 'Lamp' },
    metadata,
    position: { commit: 4096n, prepare: 4000n },
    ...overrides,
  } as EsdbRecordedEvent;
}

describe('EventStoreDB event mapping', () => {
  it("treats $-prefixed types and streams as the server's own events", () => {
    expect(isSystemEvent({ type: '$metadata', streamId: 'order-1' })).to.equal(true);
    expect(isSystemEvent({ type: 'StatsCollected', streamId: '$stats-127.0.0.1:2113' })).to.equal(
      true,
    );
    expect(isSystemEvent({ type: 'OrderPlaced', streamId: 'order-1' })).to.equal(false);
    expect(isSystemEvent({ type: 'StrataSnapshot', streamId: 'snapshot-stock-A' })).to.equal(true);
  });

  it('sends our event id as the event id and our metadata as the JSON metadata', () => {
    const given = event();
    const [data] = toEventData([given]);
    expect(data).to.deep.equal({
      id: given.eventId,
      contentType: 'application/json',
      type: 'ProductCreated',
      data: { name: 'Lamp' },
      metadata,
    });
  });

  it('refuses a bad batch whole, naming every problem by index', () => {
    const repeated = event();
    const problems = [
      [[], 'events'],
      [[event({ eventId: 'not-a-uuid' })], 'events[0].eventId'],
      [[repeated, repeated], 'events[1].eventId'],
      [[event(), event({ type: '$system' })], 'events[1].type'],
      [[event({ type: '' })], 'events[0].type'],
      [[event({ data: undefined })], 'events[0].data'],
      [[event({ metadata: null as never })], 'events[0].metadata'],
    ] as const;
    for (const [events, field] of problems) {
      let thrown: unknown;
      try {
        toEventData(events as unknown as NewEvent[]);
      } catch (error) {
        thrown = error;
      }
      expect(thrown, field).to.be.instanceOf(ValidationError);
      expect((thrown as ValidationError).errors.map((e) => e.field)).to.deep.equal([field]);
    }
  });

  it('maps a stored event to the envelope: revision as a number, position encoded, time as ISO', () => {
    expect(toRecordedEvent(stored())).to.deep.equal({
      eventId: '0190c2a4-8b5e-7cc1-9a6e-2f1d3c4b5a69',
      type: 'ProductCreated',
      data: { name: 'Lamp' },
      metadata,
      streamId: 'product-1',
      revision: 3,
      position: '00000000000010000000000000000fa0',
      recordedAt: '2026-01-02T03:04:06.789Z',
    });
  });

  it('calls an event without our metadata or without a position a StoreError naming it', () => {
    const cases: Array<[string, Record<string, unknown>]> = [
      ['no metadata', { metadata: undefined }],
      ['binary metadata', { metadata: new Uint8Array([1, 2]) }],
      ['a numeric actor', { metadata: { ...metadata, actor: 7 } }],
      ['no causation id', { metadata: { ...metadata, causationId: undefined } }],
      ['no position', { position: undefined }],
      // What servers before 22.6 put in stream reads: "no commit position".
      ['commit 2^64-1', { position: { commit: (1n << 64n) - 1n, prepare: 4000n } }],
    ];
    for (const [label, bad] of cases) {
      expect(() => toRecordedEvent(stored(bad)), label).to.throw(
        StoreError,
        '0190c2a4-8b5e-7cc1-9a6e-2f1d3c4b5a69',
      );
    }
  });
});
