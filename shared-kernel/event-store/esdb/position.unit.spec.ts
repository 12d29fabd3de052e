import { expect } from 'chai';
import fc from 'fast-check';
import { StoreError, ValidationError } from '../../errors';
import { decodeEsdbPosition, encodeEsdbPosition, isLogPosition } from './position';

const offset = fc.bigInt({ min: 0n, max: (1n << 63n) - 1n });
const pair = fc.record({ commit: offset, prepare: offset });

describe('EventStoreDB $all position encoding', () => {
  it('writes commit then prepare as 16 lowercase hex digits each', () => {
    expect(encodeEsdbPosition({ commit: 255n, prepare: 16n })).to.equal(
      '00000000000000ff0000000000000010',
    );
  });

  it('decodes what it encodes, for any pair of log offsets (0..2^63-1)', () => {
    fc.assert(
      fc.property(pair, (position) => {
        const encoded = encodeEsdbPosition(position);
        expect(encoded).to.match(/^[0-9a-f]{32}$/);
        expect(decodeEsdbPosition(encoded)).to.deep.equal(position);
      }),
    );
  });

  it('orders the strings exactly as the log orders (commit, then prepare)', () => {
    fc.assert(
      fc.property(pair, pair, (a, b) => {
        const logOrder =
          a.commit !== b.commit
            ? Math.sign(Number(a.commit - b.commit))
            : Math.sign(Number(a.prepare - b.prepare));
        const ea = encodeEsdbPosition(a);
        const eb = encodeEsdbPosition(b);
        expect(ea < eb ? -1 : ea > eb ? 1 : 0).to.equal(logOrder);
      }),
    );
  });

  it('refuses a malformed position with a ValidationError naming it', () => {
    for (const bad of [
      'f'.repeat(32),
      `8${'0'.repeat(31)}`,
      '',
      'ff',
      '00000000000000FF0000000000000010',
      `${'0'.repeat(31)}g`,
      '0'.repeat(33),
      42,
    ]) {
      expect(() => decodeEsdbPosition(bad as string), String(bad)).to.throw(
        ValidationError,
        'position',
      );
    }
  });

  it('never encodes the server\'s -1 "no position" as if it were a place in the log', () => {
    expect(() => encodeEsdbPosition({ commit: -1n, prepare: -1n })).to.throw(StoreError, 'commit');
    expect(() => encodeEsdbPosition({ commit: (1n << 64n) - 1n, prepare: 0n })).to.throw(
      StoreError,
      'commit',
    );
    expect(isLogPosition({ commit: 0n, prepare: (1n << 64n) - 1n })).to.equal(false);
    expect(isLogPosition({ commit: (1n << 63n) - 1n, prepare: 0n })).to.equal(true);
    expect(() => encodeEsdbPosition({ commit: 1n, prepare: 1n << 64n })).to.throw(
      StoreError,
      'prepare',
    );
  });
});
