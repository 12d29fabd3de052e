import { expect } from 'chai';
import { ValidationError } from '../../errors';
import { newEvent } from '../contract/contract.fixtures';
import { isExpectedRevision, toAppendRequest } from './append-request';

function problems(streamId: unknown, events: unknown, expected: unknown): string[] {
  try {
    toAppendRequest(streamId, events, expected);
  } catch (error) {
    expect(error).to.be.instanceOf(ValidationError);
    return (error as ValidationError).errors.map((e) => `${e.field}: ${e.message}`);
  }
  return expect.fail('expected a ValidationError');
}

describe('append request checks', () => {
  it('serialises a valid append once, up front', () => {
    const event = newEvent('Created', { name: 'x', price: { amount: 1, currency: 'EUR' } });
    const request = toAppendRequest('product-1', [event], 3);
    expect(request).to.deep.equal({
      streamId: 'product-1',
      expected: 3,
      events: [
        {
          eventId: event.eventId,
          type: 'Created',
          data: JSON.stringify(event.data),
          metadata: JSON.stringify(event.metadata),
        },
      ],
    });
  });

  it('expected revision: the three words or an integer >= 0, nothing else', () => {
    for (const good of ['any', 'no_stream', 'stream_exists', 0, 7]) {
      expect(isExpectedRevision(good), String(good)).to.equal(true);
    }
    for (const bad of [-1, 1.5, NaN, Infinity, 'foo', '3', null, undefined, {}]) {
      expect(isExpectedRevision(bad), String(bad)).to.equal(false);
    }
  });

  it('reports every problem at once, each naming its field', () => {
    const found = problems('$system', [{ eventId: 'nope', type: '', metadata: null }], 1.5);
    expect(found.map((p) => p.split(':')[0])).to.deep.equal([
      'streamId',
      'expectedRevision',
      'events[0].eventId',
      'events[0].type',
      'events[0].data',
      'events[0].metadata',
    ]);
  });

  it('an empty append, a non-array and a non-object event are named', () => {
    expect(problems('s-1', [], 'any')).to.deep.equal([
      'events: an append needs at least one event',
    ]);
    expect(problems('s-1', 'x', 'any')[0]).to.match(/^events:/);
    expect(problems('s-1', [newEvent(), 42], 'any')).to.deep.equal([
      'events[1]: expected an event object',
    ]);
  });

  it('data that JSON cannot represent is refused rather than stored as something else', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(problems('s-1', [{ ...newEvent(), data: cyclic }], 'any')[0]).to.match(
      /^events\[0\]\.data: cannot be serialised as JSON/,
    );
    expect(problems('s-1', [{ ...newEvent(), data: undefined }], 'any')[0]).to.match(
      /^events\[0\]\.data: is missing/,
    );
  });
});
