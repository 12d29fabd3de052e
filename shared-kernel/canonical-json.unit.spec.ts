import { expect } from 'chai';
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { canonicalJson } from './canonical-json';

/** The same JSON value with every object's keys in another order, at every depth. */
function reordered(value: unknown, order: readonly number[]): unknown {
  if (Array.isArray(value)) return value.map((item) => reordered(item, order));
  if (typeof value !== 'object' || value === null) return value;
  const keys = Object.keys(value);
  const shuffled = keys
    .map((key, i) => ({ key, rank: order[i % Math.max(1, order.length)] ?? 0 }))
    .sort((a, b) => a.rank - b.rank)
    .map(({ key }) => key);
  const out: Record<string, unknown> = {};
  for (const key of shuffled) {
    Object.defineProperty(out, key, {
      value: reordered((value as Record<string, unknown>)[key], order),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

/** JSON as a request body holds it: parsed, so `__proto__` is an own key like any other. */
const json = fc.jsonValue().map((value) => JSON.parse(JSON.stringify(value)) as unknown);

describe('canonicalJson', () => {
  it('is the same text for a value whatever order its keys come in', () => {
    fc.assert(
      fc.property(json, fc.array(fc.nat(), { minLength: 1, maxLength: 8 }), (value, order) => {
        expect(canonicalJson(reordered(value, order))).to.equal(canonicalJson(value));
      }),
    );
  });

  it('is the same text exactly when the values are equal as JSON data', () => {
    fc.assert(
      fc.property(json, json, (a, b) => {
        expect(canonicalJson(a) === canonicalJson(b)).to.equal(isDeepStrictEqual(a, b));
      }),
    );
  });

  it('reads back as the value it came from', () => {
    fc.assert(
      fc.property(json, (value) => {
        expect(JSON.parse(canonicalJson(value))).to.deep.equal(value);
      }),
    );
  });

  it('orders keys at every depth, and keeps array order', () => {
    expect(canonicalJson({ b: [2, { d: 1, c: 0 }], a: 1 })).to.equal(
      '{"a":1,"b":[2,{"c":0,"d":1}]}',
    );
    expect(canonicalJson({ a: 1, b: 2 })).to.equal(canonicalJson({ b: 2, a: 1 }));
    expect(canonicalJson([1, 2])).not.to.equal(canonicalJson([2, 1]));
  });
});
