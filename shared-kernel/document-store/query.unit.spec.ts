import { expect } from 'chai';
import { ValidationError } from '../errors';
import { checkBatch } from './batch';
import { products } from './contract/contract.fixtures';
import { decodeCursor, encodeCursor } from './cursor';
import { checkDeclaration, queryableFields } from './declaration';
import type { IndexField } from './port';
import { planQuery, planSort } from './query';

const queryable = queryableFields(products);

describe('DocumentStore query planning', () => {
  it('ends every sort with the key, in the direction of the last key, and drops keys after it', () => {
    expect(planSort(undefined, queryable)).to.deep.equal([{ field: 'id', direction: 'asc' }]);
    expect(planSort([{ field: 'name', direction: 'desc' }], queryable)).to.deep.equal([
      { field: 'name', direction: 'desc' },
      { field: 'id', direction: 'desc' },
    ]);
    const keyFirst = planSort(
      [
        { field: 'id', direction: 'asc' },
        { field: 'name', direction: 'asc' },
      ],
      queryable,
    );
    expect(keyFirst).to.deep.equal([{ field: 'id', direction: 'asc' }]);
  });

  it('reports every problem of a query at once, each under its own field', () => {
    try {
      planQuery(
        { where: { nope: 1, category: { like: 'x' }, name: { gt: {} } } as never, limit: 10 },
        queryable,
      );
      expect.fail('expected a ValidationError');
    } catch (error) {
      expect(error).to.be.instanceOf(ValidationError);
      expect((error as ValidationError).errors.map((e) => e.field)).to.deep.equal([
        'where.nope',
        'where.category.like',
        'where.name.gt',
      ]);
    }
  });

  it('round-trips cursors and refuses tampered or foreign ones', () => {
    const sort: IndexField[] = [
      { field: 'name', direction: 'asc' },
      { field: 'id', direction: 'asc' },
    ];
    const cursor = encodeCursor(sort, [null, 'p1']);
    expect(decodeCursor(cursor, sort)).to.deep.equal([null, 'p1']);
    const forged = Buffer.from(
      JSON.stringify({ s: 'name:asc,id:asc', v: [{ $gt: '' }, 'p1'] }),
    ).toString('base64url');
    const short = Buffer.from(JSON.stringify({ s: 'name:asc,id:asc', v: ['x'] })).toString(
      'base64url',
    );
    for (const bad of [forged, short, 'garbage', cursor + 'x'.repeat(5000)]) {
      expect(() => decodeCursor(bad, sort), bad.slice(0, 30)).to.throw(ValidationError);
    }
    expect(() => decodeCursor(cursor, [{ field: 'id', direction: 'asc' }])).to.throw(
      /different sort/,
    );
  });
});

describe('DocumentStore declarations and batches', () => {
  it('checks a declaration as a whole', () => {
    const bad = {
      name: 'Bad-Name',
      indexes: [
        { name: 'a', fields: [{ field: 'x;drop', direction: 'asc' }] },
        { name: 'a', fields: [{ field: 'id', direction: 'up' }] },
        { name: 'b', fields: [] },
      ],
    };
    try {
      checkDeclaration(bad);
      expect.fail('expected a ValidationError');
    } catch (error) {
      expect((error as ValidationError).errors.map((e) => e.field)).to.deep.equal([
        'name',
        'indexes[0].fields[0].field',
        'indexes[1].name',
        'indexes[1].fields[0].field',
        'indexes[1].fields[0].direction',
        'indexes[2].fields',
      ]);
    }
    expect(checkDeclaration(products)).to.deep.equal(products);
  });

  it('keeps the last write per document, and confines a target batch to its collection', () => {
    const checked = checkBatch({
      writes: [
        { collection: 'products', id: 'a', doc: { v: 1 } },
        { collection: 'products', id: 'b', doc: { v: 1 } },
        { collection: 'products', id: 'a', doc: null },
      ],
    });
    expect(checked.writes).to.deep.equal([
      { collection: 'products', id: 'b', doc: { v: 1 } },
      { collection: 'products', id: 'a', doc: null },
    ]);
    const wrong = () =>
      checkBatch({ writes: [{ collection: 'orders', id: 'a', doc: {} }], target: 'products__v2' });
    expect(wrong).to.throw(ValidationError, /writes only products/);
    expect(() => checkBatch({ writes: [], target: 'products' })).to.throw(
      ValidationError,
      /target/,
    );
  });
});
