import { expect } from 'chai';
import fc from 'fast-check';
import { ValidationError } from '../../errors';
import { comparePositions } from '../../events/envelope';
import { decodePosition, encodePosition } from './positions';

describe('SQLite positions', () => {
  it('string order of encoded positions is the numeric order of the sequences', () => {
    const sequence = fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER });
    fc.assert(
      fc.property(sequence, sequence, (a, b) => {
        const [pa, pb] = [encodePosition(a), encodePosition(b)];
        expect(pa).to.match(/^[0-9a-f]{16}$/);
        expect(Math.sign(comparePositions(pa, pb))).to.equal(Math.sign(a - b));
        expect(decodePosition(pa)).to.equal(a);
      }),
    );
  });

  it('null and undefined are the start of $all', () => {
    expect(decodePosition(null)).to.equal(0);
    expect(decodePosition(undefined)).to.equal(0);
  });

  it('rejects anything that is not 16 lowercase hex digits, naming the field', () => {
    for (const bad of [
      '',
      '1',
      'ABCDEF0123456789',
      '00000000000000001',
      'g000000000000000',
      'ffffffffffffffff',
    ]) {
      expect(() => decodePosition(bad, 'minPosition'), bad)
        .to.throw(ValidationError)
        .with.property('message')
        .that.contains('minPosition');
    }
  });
});
