import { expect } from 'chai';
import { StoreError, UnavailableError } from '../../errors';
import { productDeclaration } from '../contract/contract.fixtures';
import { encodeCursor } from '../cursor';
import { prepareOperations } from '../prepare-operations';
import { prepareQuery } from '../query';
import { bulkLines, bulkOutcome } from './bulk-body';
import { liveSettings, targetBody } from './mapping';
import { searchPage, searchRequest } from './search-body';

const declaration = productDeclaration('products');

describe('Elasticsearch request builders', () => {
  it('maps declared fields, keeps the document unindexed, refresh off and no replicas until live', () => {
    const body = targetBody(declaration);
    expect(body.mappings?.dynamic).to.equal('strict');
    expect(body.settings?.number_of_replicas).to.equal(0);
    expect(liveSettings(2)).to.deep.equal({ number_of_replicas: 2, refresh_interval: '1s' });
    expect(body.mappings?.properties).to.deep.equal({
      id: { type: 'keyword', ignore_above: 8191 },
      deleted: { type: 'boolean' },
      doc: { type: 'object', enabled: false },
      name: { type: 'text', analyzer: 'strata_text' },
      description: { type: 'text', analyzer: 'strata_text' },
      category: { type: 'keyword', ignore_above: 8191 },
      price: { type: 'double' },
      inStock: { type: 'boolean' },
      popularity: { type: 'double' },
      updatedAt: { type: 'date', format: 'epoch_millis' },
    });
    expect(body.settings?.refresh_interval).to.equal('-1');
  });

  it('writes external versions as exact decimals and deletes as tombstones', () => {
    const ops = prepareOperations(declaration, [
      {
        op: 'upsert',
        id: 'p1',
        version: '0020000000000001',
        doc: {
          name: 'Lamp',
          description: 'Warm',
          category: 'home',
          price: 25,
          popularity: 1,
          updatedAt: '2025-01-02T00:00:00Z',
        },
      },
      { op: 'delete', id: 'p2', version: '00000000000000ff' },
    ]);
    const lines = bulkLines('products__v0001', declaration, ops);
    expect(lines).to.deep.equal([
      '{"index":{"_index":"products__v0001","_id":"p1","version_type":"external","version":9007199254740993}}',
      JSON.stringify({
        id: 'p1',
        deleted: false,
        doc: {
          name: 'Lamp',
          description: 'Warm',
          category: 'home',
          price: 25,
          popularity: 1,
          updatedAt: '2025-01-02T00:00:00Z',
        },
        name: 'Lamp',
        description: 'Warm',
        category: 'home',
        price: 25,
        inStock: null,
        popularity: 1,
        updatedAt: Date.UTC(2025, 0, 2),
      }),
      '{"index":{"_index":"products__v0001","_id":"p2","version_type":"external","version":255}}',
      '{"id":"p2","deleted":true}',
    ]);
  });

  it('counts version conflicts as ignored and fails on any other item error', () => {
    const item = (status: number, type?: string) => ({
      index: { _index: 't', _id: 'x', status, ...(type ? { error: { type, reason: 'r' } } : {}) },
    });
    const outcome = bulkOutcome(
      {
        errors: true,
        took: 1,
        items: [item(201), item(409, 'version_conflict_engine_exception'), item(200)],
      },
      't',
    );
    expect(outcome).to.deep.equal({ applied: 2, ignored: 1 });
    expect(() =>
      bulkOutcome({ errors: true, took: 1, items: [item(400, 'mapper_parsing_exception')] }, 't'),
    ).to.throw(StoreError, 'mapper_parsing_exception');
    // A full write queue or a moving shard: the batch is replayed, not parked.
    for (const [status, type] of [
      [429, 'es_rejected_execution_exception'],
      [503, 'unavailable_shards_exception'],
    ] as const) {
      expect(() =>
        bulkOutcome({ errors: true, took: 1, items: [item(200), item(status, type)] }, 't'),
      ).to.throw(UnavailableError, type);
    }
  });

  it('builds a plain-text, filtered, faceted, paged search', () => {
    const after = encodeCursor('price:desc', [2500, 'p9']);
    const query = prepareQuery(declaration, {
      q: `" OR * NEAR( lamp`,
      filters: [
        { kind: 'term', field: 'inStock', value: true },
        { kind: 'range', field: 'updatedAt', gte: '2025-01-01T00:00:00Z' },
      ],
      sort: { kind: 'field', field: 'price', order: 'desc' },
      facets: [
        { kind: 'terms', field: 'category', size: 5 },
        { kind: 'range', field: 'price', ranges: [{ to: 1000 }, { from: 1000 }] },
      ],
      cursor: after,
      limit: 10,
    });
    expect(searchRequest('products', declaration, query)).to.deep.equal({
      index: 'products',
      size: 11,
      track_total_hits: true,
      _source: ['doc'],
      query: {
        bool: {
          must: [
            {
              multi_match: {
                query: `" OR * NEAR( lamp`,
                type: 'cross_fields',
                operator: 'and',
                zero_terms_query: 'none',
                fields: ['name^3', 'description'],
              },
            },
          ],
          filter: [
            { term: { inStock: true } },
            { range: { updatedAt: { gte: Date.UTC(2025, 0, 1) } } },
          ],
          must_not: [{ term: { deleted: true } }],
        },
      },
      sort: [{ price: { order: 'desc' } }, { id: { order: 'desc' } }],
      aggs: {
        category: {
          terms: { field: 'category', size: 5, order: [{ _count: 'desc' }, { _key: 'asc' }] },
        },
        price: {
          range: {
            field: 'price',
            keyed: true,
            ranges: [
              { key: 'r0', to: 1000 },
              { key: 'r1', from: 1000 },
            ],
          },
        },
      },
      search_after: [2500, 'p9'],
    });
  });

  it('sorts by score then id for text, by id alone without', () => {
    const withText = searchRequest('p', declaration, prepareQuery(declaration, { q: 'lamp' }));
    expect(withText.sort).to.deep.equal([{ _score: { order: 'desc' } }, { id: { order: 'asc' } }]);
    const browse = searchRequest('p', declaration, prepareQuery(declaration, {}));
    expect(browse.sort).to.deep.equal([{ id: { order: 'asc' } }]);
    expect(browse.query?.bool?.must).to.deep.equal([]);
    expect(browse.aggs).to.equal(undefined);
  });

  it('reads a response into a page: range buckets in request order, cursor from sort values', () => {
    const query = prepareQuery(declaration, {
      q: 'lamp',
      limit: 1,
      facets: [
        { kind: 'terms', field: 'category' },
        { kind: 'range', field: 'price', ranges: [{ from: 1000 }, { to: 1000 }] },
      ],
    });
    const page = searchPage(query, {
      took: 1,
      timed_out: false,
      _shards: { total: 1, successful: 1, failed: 0 },
      hits: {
        total: { value: 7, relation: 'eq' },
        hits: [
          { _index: 'x', _id: 'a', _score: 2.5, _source: { doc: { name: 'A' } }, sort: [2.5, 'a'] },
          { _index: 'x', _id: 'b', _score: 1.5, _source: { doc: { name: 'B' } }, sort: [1.5, 'b'] },
        ],
      },
      aggregations: {
        category: { buckets: [{ key: 'home', doc_count: 7 }] },
        price: { buckets: { r1: { doc_count: 3 }, r0: { doc_count: 4 } } },
      } as never,
    });
    expect(page.hits).to.deep.equal([{ id: 'a', doc: { name: 'A' }, score: 2.5 }]);
    expect(page.total).to.equal(7);
    expect(page.facets).to.deep.equal({
      category: [{ value: 'home', count: 7 }],
      price: [
        { from: 1000, to: null, count: 4 },
        { from: null, to: 1000, count: 3 },
      ],
    });
    expect(page.nextCursor).to.equal(encodeCursor('relevance', [2.5, 'a']));
  });
});
