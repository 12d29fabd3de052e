import { expect } from 'chai';
import { ValidationError } from '../../errors';
import { products } from '../contract/contract.fixtures';
import { queryableFields } from '../declaration';
import type { IndexField } from '../port';
import { planQuery } from '../query';
import {
  afterFilter,
  fromStored,
  indexSpecs,
  sortSpec,
  sortValues,
  toStored,
  whereFilter,
} from './translate';

const queryable = queryableFields(products);

describe('MongoDB query translation', () => {
  it('turns each planned operator into exactly one Mongo operator on the field', () => {
    const plan = planQuery(
      {
        where: {
          category: 'books',
          'price.amount': { gte: 100, lt: 500 },
          active: { in: [true] },
          'stock.available': null,
          id: { gt: 'p1' },
        },
        limit: 10,
      },
      queryable,
    );
    expect(whereFilter(plan.conditions)).to.deep.equal({
      $and: [
        { category: { $eq: 'books' } },
        { 'price.amount': { $gte: 100 } },
        { 'price.amount': { $lt: 500 } },
        { active: { $in: [true] } },
        { 'stock.available': { $eq: null } },
        { _id: { $gt: 'p1' } },
      ],
    });
    expect(whereFilter([])).to.deep.equal({});
  });

  it('keeps operator-looking strings as plain values', () => {
    const plan = planQuery(
      { where: { category: '$where', name: { in: ['$gt', '{"$ne":1}'] } }, limit: 1 },
      queryable,
    );
    expect(whereFilter(plan.conditions)).to.deep.equal({
      $and: [{ category: { $eq: '$where' } }, { name: { $in: ['$gt', '{"$ne":1}'] } }],
    });
  });

  it('never lets an object or operator through to a filter', () => {
    for (const where of [
      { category: { $ne: 1 } },
      { category: { eq: { $gt: '' } } },
      { $where: 'sleep(1)' },
    ]) {
      expect(() => planQuery({ where: where as never, limit: 1 }, queryable)).to.throw(
        ValidationError,
      );
    }
  });

  it('builds keyset filters that respect direction and nulls', () => {
    const sort: IndexField[] = [
      { field: 'category', direction: 'asc' },
      { field: 'price.amount', direction: 'desc' },
      { field: 'id', direction: 'desc' },
    ];
    expect(afterFilter(sort, ['books', 300, 'p9'])).to.deep.equal({
      $or: [
        { category: { $gt: 'books' } },
        {
          $and: [
            { category: { $eq: 'books' } },
            {
              $or: [
                { $or: [{ 'price.amount': { $lt: 300 } }, { 'price.amount': { $eq: null } }] },
                { $and: [{ 'price.amount': { $eq: 300 } }, { _id: { $lt: 'p9' } }] },
              ],
            },
          ],
        },
      ],
    });
    const withNulls = afterFilter(
      [
        { field: 'name', direction: 'asc' },
        { field: 'id', direction: 'asc' },
      ],
      [null, 'p1'],
    );
    expect(withNulls).to.deep.equal({
      $or: [{ name: { $ne: null } }, { $and: [{ name: { $eq: null } }, { _id: { $gt: 'p1' } }] }],
    });
    const descNull = afterFilter(
      [
        { field: 'name', direction: 'desc' },
        { field: 'id', direction: 'desc' },
      ],
      [null, 'p1'],
    );
    expect(descNull).to.deep.equal({
      $or: [{ _id: { $in: [] } }, { $and: [{ name: { $eq: null } }, { _id: { $lt: 'p1' } }] }],
    });
  });

  it('sorts with the key as tie-breaker and declares indexes that serve that sort', () => {
    const plan = planQuery(
      { sort: [{ field: 'price.amount', direction: 'desc' }], limit: 5 },
      queryable,
    );
    expect(sortSpec(plan.sort)).to.deep.equal([
      ['price.amount', -1],
      ['_id', -1],
    ]);
    const [first] = indexSpecs('products__v2', products);
    expect(first?.name).to.match(/^ix_products__v2_byCategoryPrice_[0-9a-f]{8}$/);
    expect(Object.entries(first?.key ?? {})).to.deep.equal([
      ['category', 1],
      ['price.amount', -1],
      ['_id', -1],
    ]);
  });

  it('maps documents to and from their stored form, and reads cursor values from them', () => {
    const stored = toStored('p1', { name: 'A', price: { amount: 5 } });
    expect(stored).to.deep.equal({ _id: 'p1', name: 'A', price: { amount: 5 } });
    expect(fromStored(stored)).to.deep.equal({ name: 'A', price: { amount: 5 } });
    const sort: IndexField[] = [
      { field: 'price.amount', direction: 'asc' },
      { field: 'stock.available', direction: 'asc' },
      { field: 'id', direction: 'asc' },
    ];
    expect(sortValues(stored, sort)).to.deep.equal([5, null, 'p1']);
  });
});
