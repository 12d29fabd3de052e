import { expect } from 'chai';
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import type { JsonValue } from '../../shared-kernel/document-store/port';
import { toJson } from './json-state';
import { diffStates } from './state-diff';

const product = {
  status: 'active',
  name: 'Mug',
  price: { amount: 1299, currency: 'EUR' },
  attributes: { colour: 'blue' },
};

describe('diffStates', () => {
  it('lists changed fields by dotted path, nested objects field by field', () => {
    const after = { ...product, name: 'Big mug', price: { amount: 1499, currency: 'EUR' } };
    expect(diffStates(product, after)).to.deep.equal([
      { path: 'name', before: 'Mug', after: 'Big mug' },
      { path: 'price.amount', before: 1299, after: 1499 },
    ]);
  });

  it('reports added and removed keys with null on the missing side, after the before keys', () => {
    const after = { ...product, attributes: { size: 'L' }, reason: 'old' };
    expect(diffStates(product, after)).to.deep.equal([
      { path: 'attributes.colour', before: 'blue', after: null },
      { path: 'attributes.size', before: null, after: 'L' },
      { path: 'reason', before: null, after: 'old' },
    ]);
  });

  it('compares arrays as whole values', () => {
    const before = {
      lines: [
        { sku: 'A', quantity: 1 },
        { sku: 'B', quantity: 2 },
      ],
    };
    const after = {
      lines: [
        { sku: 'A', quantity: 1 },
        { sku: 'B', quantity: 3 },
      ],
    };
    expect(diffStates(before, after)).to.deep.equal([
      { path: 'lines', before: before.lines, after: after.lines },
    ]);
    expect(diffStates(before, structuredClone(before))).to.deep.equal([]);
  });

  it('quotes keys that would make a path ambiguous', () => {
    const changes = diffStates(
      { attributes: { 'size.eu': '40' } },
      { attributes: { 'size.eu': '41' } },
    );
    expect(changes.map((c) => c.path)).to.deep.equal(['attributes["size.eu"]']);
  });

  it('reports a change of kind (object to value) and a root that is not an object as one value', () => {
    expect(diffStates({ price: { amount: 1 } }, { price: 1 })).to.deep.equal([
      { path: 'price', before: { amount: 1 }, after: 1 },
    ]);
    expect(diffStates(null, product)).to.deep.equal([{ path: '', before: null, after: product }]);
  });

  it('treats a missing key and a null one as the same, and key order as irrelevant', () => {
    expect(diffStates({ a: null, b: 1, c: 2 }, { c: 2, b: 1 })).to.deep.equal([]);
  });

  it('is empty exactly for equal states, and mirrors when the states are swapped', () => {
    const json = fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<JsonValue>;
    const state = fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd.e'), json, { maxKeys: 4 });
    fc.assert(
      fc.property(state, state, (before, after) => {
        const changes = diffStates(before, after);
        expect(changes.length === 0).to.equal(
          isDeepStrictEqual(withoutNulls(before), withoutNulls(after)),
        );
        const mirrored = diffStates(after, before);
        expect(mirrored).to.deep.equal(
          changes
            .map(({ path, before: b, after: a }) => ({ path, before: a, after: b }))
            .sort(byPath(mirrored)),
        );
      }),
    );
  });
});

/** Orders `changes` the way `reference` lists its paths (only the key order differs). */
function byPath(reference: Array<{ path: string }>) {
  const rank = new Map(reference.map((c, i) => [c.path, i]));
  return (a: { path: string }, b: { path: string }) =>
    (rank.get(a.path) ?? -1) - (rank.get(b.path) ?? -1);
}

/** Object keys holding null are the same as missing ones, at every depth of nested objects. */
function withoutNulls(value: JsonValue): JsonValue {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const out: { [key: string]: JsonValue } = {};
  for (const [key, item] of Object.entries(value)) if (item !== null) out[key] = withoutNulls(item);
  return out;
}

describe('toJson', () => {
  it('keeps plain data as it is, the same object: no copy per audited event', () => {
    expect(toJson(product)).to.equal(product);
    const trie = { size: 1, root: [null, [null, [['o-1', { quantity: 2 }]]], null] };
    expect(toJson(trie)).to.equal(trie);
    const nullPrototype = Object.assign(Object.create(null) as object, { a: 1 });
    expect(toJson(nullPrototype)).to.equal(nullPrototype);
  });

  it('trusts what a state shares with the JSON state it was folded from, and checks the rest', () => {
    const before = { size: 1, root: [null, [['o-1', 2]]] } as const;
    const after = { size: 2, root: [[['o-2', 3]], before.root[1]] };
    expect(toJson(after, before as unknown as JsonValue)).to.equal(after);
    const dated = { ...after, at: new Date('2024-03-01T10:00:00.000Z') };
    expect(toJson(dated, before as unknown as JsonValue)).to.deep.equal({
      ...after,
      at: '2024-03-01T10:00:00.000Z',
    });
    // eslint-disable-next-line no-sparse-arrays
    expect(toJson([, 1], [] as JsonValue)).to.deep.equal([null, 1]);
  });

  it('converts data that is not JSON as it stands, however deep it sits', () => {
    const deep = { a: { b: [1, { at: new Date('2024-03-01T10:00:00.000Z') }] } };
    expect(toJson(deep)).to.deep.equal({ a: { b: [1, { at: '2024-03-01T10:00:00.000Z' }] } });
    // eslint-disable-next-line no-sparse-arrays
    expect(toJson({ holes: [1, , 3], nan: [Number.NaN], gone: undefined })).to.deep.equal({
      holes: [1, null, 3],
      nan: [null],
    });
  });

  it('keeps keys named like built-in members as keys (product attributes may be)', () => {
    const attributes = JSON.parse('{"__proto__":"a","toString":"b","constructor":"c"}') as object;
    const json = toJson({ attributes });
    expect(Object.entries((json as { attributes: object }).attributes)).to.deep.equal(
      Object.entries(attributes),
    );
    const before = { attributes: {} };
    expect(diffStates(before, json).map((c) => [c.path, c.before, c.after])).to.deep.equal([
      ['attributes.__proto__', null, 'a'],
      ['attributes.toString', null, 'b'],
      ['attributes.constructor', null, 'c'],
    ]);
  });

  it('turns what JSON cannot hold into JSON, dropping undefined properties', () => {
    const state = {
      at: new Date('2024-03-01T10:00:00.000Z'),
      reservations: new Map([['o-1', 2]]),
      skus: new Set(['A', 'B']),
      big: 10n,
      ratio: Number.NaN,
      missing: undefined,
      list: [undefined, 1],
    };
    expect(toJson(state)).to.deep.equal({
      at: '2024-03-01T10:00:00.000Z',
      reservations: { 'o-1': 2 },
      skus: ['A', 'B'],
      big: '10',
      ratio: null,
      list: [null, 1],
    });
  });
});
