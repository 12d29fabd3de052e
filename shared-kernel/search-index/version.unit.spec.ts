import { expect } from 'chai';
import fc from 'fast-check';
import { ValidationError } from '../errors';
import { normalizeVersion, versionToDecimal } from './version';

describe('search index versions', () => {
  it('orders normalized versions as their numbers order', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: (1n << 63n) - 1n }),
        fc.bigInt({ min: 0n, max: (1n << 63n) - 1n }),
        (a, b) => {
          const [va, vb] = [normalizeVersion(a.toString(16)), normalizeVersion(b.toString(16))];
          expect(va).to.have.length(16);
          expect(va < vb ? -1 : va > vb ? 1 : 0).to.equal(a < b ? -1 : a > b ? 1 : 0);
          expect(versionToDecimal(a.toString(16))).to.equal(a.toString(10));
        },
      ),
    );
  });

  it('keeps precision past 2^53 in the decimal form Elasticsearch gets', () => {
    expect(versionToDecimal('0020000000000001')).to.equal('9007199254740993');
    expect(versionToDecimal('7fffffffffffffff')).to.equal('9223372036854775807');
  });

  it('maps an EventStoreDB commit:prepare position to its prepare offset', () => {
    const commit = '0000000000001000';
    expect(normalizeVersion(`${commit}0000000000000ff0`)).to.equal('0000000000000ff0');
    expect(versionToDecimal(`${commit}0000000000000ff8`)).to.equal('4088');
    expect(() => normalizeVersion(`${commit}8000000000000000`)).to.throw(ValidationError);
  });

  it('rejects what is not a lowercase hex position, or does not fit a signed long', () => {
    for (const bad of [
      '',
      'xyz',
      'ABCDEF',
      '-1',
      '8000000000000000',
      '1'.repeat(17),
      '1'.repeat(33),
    ]) {
      expect(() => normalizeVersion(bad, 'ops[0].version'), bad)
        .to.throw(ValidationError)
        .with.property('errors')
        .that.deep.equals([{ field: 'ops[0].version', message: validationMessage(bad) }]);
    }
  });
});

function validationMessage(bad: string): string {
  return bad === '8000000000000000'
    ? '8000000000000000 is above 7fffffffffffffff (a signed 64-bit version)'
    : 'must be a lowercase hex event position of 1-16 or 32 digits';
}
