import { expect } from 'chai';
import fc from 'fast-check';
import { isSubject, isUuid, newId } from './ids';

describe('ids', () => {
  it('makes UUID v7 ids that sort by creation time', async () => {
    const first = newId();
    await new Promise((resolve) => setTimeout(resolve, 2));
    const second = newId();
    expect(isUuid(first)).to.equal(true);
    expect(first[14]).to.equal('7');
    expect(first < second).to.equal(true);
    expect(isUuid('not-a-uuid')).to.equal(false);
  });

  it('keeps ids made within one millisecond in creation order, and never repeats one', () => {
    // Far more than one pool of random bytes (256 ids), and many ids per millisecond.
    const ids = Array.from({ length: 20_000 }, () => newId());
    expect(ids.every(isUuid)).to.equal(true);
    expect(ids.every((id, i) => i === 0 || (ids[i - 1] as string) < id)).to.equal(true);
    expect(new Set(ids.map((id) => id.slice(19))).size).to.equal(ids.length);
  });
});

describe('subjects (token sub, customer id)', () => {
  const printable = fc.constantFrom(...'aZ09|:._-@ /+=ÄßΩ漢𝄞😀'.split(/(?:)/u));
  const control = fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c));

  it('accepts 1-200 printable characters that are not all blank', () => {
    fc.assert(
      fc.property(fc.array(printable, { minLength: 1, maxLength: 200 }), (chars) => {
        const subject = chars.join('');
        expect(isSubject(subject)).to.equal(subject.trim().length > 0);
      }),
    );
  });

  it('refuses any control character anywhere, and more than 200 characters', () => {
    fc.assert(
      fc.property(
        fc.array(printable, { maxLength: 150 }),
        control,
        fc.nat(150),
        (chars, bad, at) => {
          chars.splice(at % (chars.length + 1), 0, bad);
          expect(isSubject(chars.join(''))).to.equal(false);
        },
      ),
    );
    expect(isSubject('𝄞'.repeat(200))).to.equal(true);
    expect(isSubject('𝄞'.repeat(201))).to.equal(false);
    for (const bad of ['', '\u007f', 'a\u2028b', 'zero\u200bwidth', 7, null]) {
      expect(isSubject(bad), JSON.stringify(bad)).to.equal(false);
    }
  });
});
