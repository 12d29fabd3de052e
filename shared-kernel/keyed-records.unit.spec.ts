import { expect } from 'chai';
import fc from 'fast-check';
import {
  emptyRecords,
  getRecord,
  recordEntries,
  removeRecord,
  setRecord,
  type KeyedRecords,
} from './keyed-records';

type Op = { set: string; value: number } | { remove: string };
const key = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('__proto__', 'constructor', ''));
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ set: key, value: fc.integer() }),
  fc.record({ remove: key }),
);

function apply(records: KeyedRecords<number>, step: Op): KeyedRecords<number> {
  return 'set' in step
    ? setRecord(records, step.set, step.value)
    : removeRecord(records, step.remove);
}

describe('keyed records', () => {
  it('behaves like a Map under any sequence of sets and removes', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        let records = emptyRecords<number>();
        const model = new Map<string, number>();
        for (const step of ops) {
          records = apply(records, step);
          if ('set' in step) model.set(step.set, step.value);
          else model.delete(step.remove);
          expect(records.size).to.equal(model.size);
        }
        for (const [k, v] of model) expect(getRecord(records, k)).to.equal(v);
        expect(new Map(recordEntries(records))).to.deep.equal(model);
      }),
      { numRuns: 300 },
    );
  });

  it('never changes its input, and equal contents are equal data (also after JSON)', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 100 }), (ops) => {
        let records = emptyRecords<number>();
        for (const step of ops) {
          const before = structuredClone(records);
          const frozen = deepFreeze(records);
          records = apply(frozen, step);
          expect(frozen).to.deep.equal(before);
        }
        let rebuilt = emptyRecords<number>();
        for (const [k, v] of [...recordEntries(records)].reverse())
          rebuilt = setRecord(rebuilt, k, v);
        expect(rebuilt).to.deep.equal(records);
        expect(JSON.parse(JSON.stringify(records))).to.deep.equal(records);
      }),
      { numRuns: 200 },
    );
  });

  it('copies a bounded part per update, whatever the size', () => {
    let records = emptyRecords<number>();
    for (let i = 0; i < 50_000; i += 1) records = setRecord(records, `order-${i}`, i);
    const next = setRecord(records, 'one-more', 1);
    const root = records.root ?? [];
    const shared = root.filter((node, slot) => next.root?.[slot] === node);
    expect(shared.length).to.equal(root.length - 1);
    expect(getRecord(next, 'order-49999')).to.equal(49_999);
    expect(removeRecord(records, 'absent')).to.equal(records);
  });
});

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
