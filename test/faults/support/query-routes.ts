import type { Operation } from './openapi-requests';
import type { Schema } from './schema-arbitraries';

const uuid: Schema = { type: 'string', format: 'uuid' };
const text: Schema = { type: 'string', minLength: 1, maxLength: 50 };
const sku: Schema = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,20}$' };
const digits: Schema = { type: 'string', pattern: '^[1-9][0-9]{0,2}$' };
const time: Schema = { type: 'string', enum: ['2025-01-01', '2025-01-01T10:00:00Z'] };
const oneOf = (...values: string[]): Schema => ({ type: 'string', enum: values });

const path = (name: string, schema: Schema) => ({ name, in: 'path', schema });
const query = (schemas: Record<string, Schema>) =>
  Object.entries({ ...schemas, minPosition: { type: 'string', pattern: '^[0-9a-f]{1,8}$' } }).map(
    ([name, schema]) => ({ name, in: 'query', schema }),
  );
const page = { cursor: text, limit: digits };
const prices = { minPrice: digits, maxPrice: digits };

/**
 * The query API's routes and parameters as docs/API.md and read-side/*\/dtos.ts give them, for
 * when the running query API does not serve /openapi.json yet (it was being added while this
 * scenario was written). The fuzzer prefers the served document whenever there is one.
 */
export const QUERY_ROUTES: Operation[] = [
  { method: 'GET', path: '/products/{id}', parameters: [path('id', uuid), ...query({})] },
  {
    method: 'GET',
    path: '/products',
    parameters: query({
      category: text,
      status: oneOf('active', 'discontinued'),
      ...prices,
      ...page,
    }),
  },
  {
    method: 'GET',
    path: '/products/search',
    parameters: query({
      q: text,
      category: text,
      ...prices,
      inStock: oneOf('true', 'false'),
      sort: oneOf('relevance', 'price_asc', 'price_desc', 'popularity'),
      ...page,
    }),
  },
  { method: 'GET', path: '/orders/{id}', parameters: [path('id', uuid), ...query({})] },
  {
    method: 'GET',
    path: '/customers/{id}/orders',
    parameters: [path('id', uuid), ...query({ status: oneOf('placed', 'confirmed'), ...page })],
  },
  { method: 'GET', path: '/inventory/{sku}', parameters: [path('sku', sku), ...query({})] },
  ...(['history', 'state', 'diff'] as const).map((view): Operation => ({
    method: 'GET',
    path: `/audit/{type}/{id}/${view}`,
    parameters: [
      path('type', oneOf('product', 'stock', 'order')),
      path('id', text),
      ...query(
        view === 'history'
          ? { from: time, to: time, ...page }
          : view === 'state'
            ? { asOf: time, version: digits }
            : { fromVersion: digits, toVersion: digits },
      ),
    ],
  })),
  {
    method: 'GET',
    path: '/audit/events',
    parameters: query({
      actor: text,
      eventType: { type: 'string', pattern: '^[A-Z][A-Za-z]{0,20}$' },
      type: oneOf('product', 'stock', 'order'),
      from: time,
      to: time,
      ...page,
    }),
  },
];
