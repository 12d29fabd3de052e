import type { Router } from 'express';
import { serveOpenApi, type OperationDoc, type ParameterDoc } from '../shared-kernel/http/openapi';
import { pathParamDoc } from '../shared-kernel/http/path-params';
import { AUDIT_TYPES } from './audit/audit-queries';
import './audit/dtos';
import './catalog/dtos';
import { SEARCH_SORTS } from './catalog/product-search';
import './orders/dtos';
import { ORDER_STATUSES } from './orders/orders';

type Schema = Record<string, unknown>;
const digits = (description: string): Schema => ({
  type: 'string',
  pattern: '^(0|[1-9][0-9]{0,14})$',
  description,
});

/** Schemas of the query-parameter rules (read-side/http/param-rules.ts); all arrive as text. */
const QUERY_RULES: Record<string, Schema> = {
  isPageSize: { type: 'string', pattern: '^[1-9][0-9]{0,2}$', description: 'page size, 1 to 100' },
  isCursor: {
    type: 'string',
    pattern: '^[A-Za-z0-9_-]{1,2048}$',
    description: 'opaque: the nextCursor of the previous page of the same query',
  },
  isMinorUnits: digits('integer minor units'),
  isVersion: digits('a stream version, 0-based'),
  isIsoTime: { type: 'string', description: 'ISO 8601 date (2024-05-01) or time with a zone' },
  isOneOf: { type: 'string' },
  isPlainText: {
    type: 'string',
    maxLength: 200,
    description: 'plain text, never a query language',
  },
};

const uuid = (name: string) => pathParamDoc(name, 'uuid');
const sku = pathParamDoc('sku', 'sku');
const auditType: ParameterDoc = {
  name: 'type',
  in: 'path',
  required: true,
  schema: { type: 'string', enum: [...AUDIT_TYPES] },
  example: 'product',
};
const minPosition: ParameterDoc = {
  name: 'X-Min-Position',
  in: 'header',
  schema: { type: 'string' },
  description: 'wait until the read model has passed this position (503 + Retry-After if not)',
};
const ANSWER = { type: 'object' };
const PAGE = {
  type: 'object',
  required: ['items', 'nextCursor'],
  properties: { items: { type: 'array' }, nextCursor: { type: ['string', 'null'] } },
};
const ok = (schema: Schema) => ({ status: 200, schema, headers: ['X-Projection-Position'] });
const get = (path: string, summary: string, rest: Partial<OperationDoc>): OperationDoc => ({
  method: 'get',
  path,
  summary,
  success: ok(ANSWER),
  ...rest,
  parameters: [...(rest.parameters ?? []), minPosition],
});
const PRICES = { minPrice: '1000', maxPrice: '5000', limit: '20' };

/** The query routes as documented; a spec checks the app serves exactly these. */
export const QUERY_OPERATIONS: OperationDoc[] = [
  get('/products/search', 'Full-text product search with facets', {
    query: 'ProductSearchQuery',
    queryExamples: {
      q: 'desk lamp',
      category: 'lighting',
      inStock: 'true',
      sort: SEARCH_SORTS[1],
      ...PRICES,
    },
  }),
  get('/products', 'Products by name, filtered', {
    query: 'ProductListQuery',
    queryExamples: { category: 'lighting', status: 'active', ...PRICES },
    success: ok(PAGE),
  }),
  get('/products/:id', 'One product with stock and popularity', { parameters: [uuid('id')] }),
  get('/orders/:id', 'One order with its status history', { parameters: [uuid('id')] }),
  get('/customers/:id/orders', "A customer's orders, newest first", {
    parameters: [uuid('id')],
    query: 'CustomerOrdersQuery',
    queryExamples: { status: ORDER_STATUSES[0] ?? 'placed', limit: '20' },
    success: ok(PAGE),
  }),
  get('/inventory/:sku', 'Stock of one SKU', { parameters: [sku] }),
  get('/audit/events', 'Events across aggregates, newest first', {
    query: 'EventsQuery',
    queryExamples: {
      actor: 'alice',
      eventType: 'ProductPriceChanged',
      type: 'product',
      from: '2024-01-01',
      to: '2030-01-01T00:00:00Z',
      limit: '20',
    },
    success: ok(PAGE),
  }),
  get('/audit/:type/:id/history', "An aggregate's events in order", {
    parameters: [auditType, uuid('id')],
    query: 'HistoryQuery',
    queryExamples: { from: '2024-01-01', to: '2030-01-01T00:00:00Z', limit: '20' },
  }),
  get('/audit/:type/:id/state', 'An aggregate as it was at a time or version (give one)', {
    parameters: [auditType, uuid('id')],
    query: 'StateQuery',
    queryExamples: { asOf: '2030-01-01T00:00:00Z', version: '0' },
  }),
  get('/audit/:type/:id/diff', 'What changed between two versions', {
    parameters: [auditType, uuid('id')],
    query: 'DiffQuery',
    queryExamples: { fromVersion: '0', toVersion: '1' },
  }),
  ...['/livez', '/readyz', '/metrics', '/openapi.json'].map((path): OperationDoc => ({
    method: 'get',
    path,
    summary: 'operations',
    success: ok(ANSWER),
  })),
];

export function openApiRoute(router: Router): void {
  serveOpenApi(router, { title: 'Strata query API', version: '1' }, QUERY_OPERATIONS, QUERY_RULES);
}
