import { expect } from 'chai';
import fc from 'fast-check';
import { ValidationError } from '../../shared-kernel/errors';
import { ifMatchHolds } from '../command-handling/command-request';
import { parseIfMatch } from './if-match';

/** One entity tag as a client may send it, and whether it can match our revision `n`. */
const tag = fc.oneof(
  fc.nat(1000).map((n) => ({ text: `"${n}"`, strong: n })),
  fc.nat(1000).map((n) => ({ text: `W/"${n}"`, strong: null })),
  fc
    .stringMatching(/^[A-Za-z!#-~]{0,12}$/)
    .filter((s) => !/^(0|[1-9]\d*)$/.test(s))
    .map((s) => ({ text: `"${s}"`, strong: null })),
);
const ows = fc.constantFrom('', ' ', '  ', '\t');

const outcome = (raw: string, revision: number) => {
  try {
    const condition = parseIfMatch(raw);
    return condition === undefined ? 'none' : ifMatchHolds(condition, revision);
  } catch (error) {
    if (error instanceof ValidationError) return 'invalid';
    throw error;
  }
};

describe('If-Match (RFC 9110 13.1.1)', () => {
  it('a list holds exactly when one of its strong tags is the current revision', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(tag, ows, ows), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: -1, max: 1000 }),
        (tags, revision) => {
          const raw = tags.map(([t, before, after]) => `${before}${t.text}${after}`).join(',');
          const expected = revision >= 0 && tags.some(([t]) => t.strong === revision);
          expect(outcome(raw, revision), raw).to.equal(expected);
        },
      ),
    );
  });

  it('* holds for any existing revision and never for a missing stream', () => {
    fc.assert(
      fc.property(fc.nat(1_000_000), ows, ows, (revision, a, b) => {
        expect(outcome(`${a}*${b}`, revision)).to.equal(true);
        expect(outcome(`${a}*${b}`, -1)).to.equal(false);
      }),
    );
  });

  it('no tag holds for a stream that does not exist, not even "-1"', () => {
    for (const raw of ['"0"', '"-1"', 'W/"-1"', '"0", "1"'])
      expect(outcome(raw, -1), raw).to.equal(false);
  });

  it('ignores empty list elements, as RFC 9110 5.6.1 asks', () => {
    expect(outcome(', "3" ,, ', 3)).to.equal(true);
  });

  it('refuses what is not an entity-tag list', () => {
    for (const raw of [
      '',
      ' ',
      '3',
      '"3',
      '3"',
      'W/3',
      'w/"3"',
      '*, "1"',
      '"1" "2"',
      '"a"b"',
      '**',
      '"\u0001"',
      ',',
    ]) {
      expect(outcome(raw, 3), JSON.stringify(raw)).to.equal('invalid');
    }
    expect(outcome(`"${'1'.repeat(20)}"`, 3)).to.equal(false);
  });
});
