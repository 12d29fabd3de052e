import { expect } from 'chai';
import fc from 'fast-check';
import { ValidationError } from '../errors';
import { decodeCursor, encodeCursor } from './cursor';

describe('search cursors', () => {
  it('round-trip sort values and ids exactly', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.string()),
        fc.string(),
        (value, id) => {
          const type = typeof value === 'number' ? 'number' : 'string';
          const decoded = decodeCursor(encodeCursor('k', [value, id]), 'k', type);
          expect(decoded).to.deep.equal([Object.is(value, -0) ? 0 : value, id]);
        },
      ),
    );
    expect(decodeCursor(encodeCursor('relevance', ['p-1']), 'relevance', null)).to.deep.equal([
      'p-1',
    ]);
  });

  it('rejects garbage, another sort, and wrong value types, naming the cursor', () => {
    const rejects = (cursor: string, type: 'string' | 'number' | null) =>
      expect(() => decodeCursor(cursor, 'price:asc', type))
        .to.throw(ValidationError)
        .with.nested.property('errors[0].field', 'cursor');
    rejects('%%%', 'number');
    rejects(Buffer.from('[1,2]').toString('base64url'), 'number');
    rejects(encodeCursor('price:desc', [1, 'a']), 'number');
    rejects(encodeCursor('price:asc', ['1', 'a']), 'number');
    rejects(encodeCursor('price:asc', [1, 'a']), null);
    rejects(encodeCursor('price:asc', [1, 2] as unknown as [number, string]), 'number');
  });
});
