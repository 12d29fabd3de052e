import { expect } from 'chai';
import { domainEventUpcasting } from '../aggregates';
import { eventIdFor, toNewEvents } from './new-events';

describe('event ids and metadata', () => {
  const commandId = '01890a5d-ac96-774b-bcce-b302099a8057';

  it('derives the same event ids from the same command, different ones per index and command', () => {
    expect(eventIdFor(commandId, 0)).to.equal(eventIdFor(commandId, 0));
    expect(eventIdFor(commandId, 0)).not.to.equal(eventIdFor(commandId, 1));
    expect(eventIdFor(commandId, 0)).not.to.equal(eventIdFor(commandId.replace(/7$/, '8'), 0));
    expect(eventIdFor(commandId, 0)).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-/);
  });

  it('stamps each event with the schema version it is written at and an explicit causation', () => {
    const events = toNewEvents(
      [
        { type: 'ProductCreated', data: {} },
        { type: 'StockReceived', data: {} },
      ],
      commandId,
      { correlationId: 'c', actor: 'saga:fulfillment', occurredAt: 't', causationId: 'trigger' },
      domainEventUpcasting(),
    );
    expect(events.map((e) => e.metadata.schemaVersion)).to.deep.equal([2, 1]);
    expect(events.every((e) => e.metadata.causationId === 'trigger')).to.equal(true);
  });
});
