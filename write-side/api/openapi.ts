import type { Router } from 'express';
import { serveOpenApi, type OperationDoc } from '../../shared-kernel/http/openapi';
import { pathParamDoc } from '../../shared-kernel/http/path-params';
import './inventory/dtos';
import './orders/dtos';
import './catalog/dtos';

const RESULT = {
  type: 'object',
  required: ['id', 'streamRevision', 'position'],
  properties: {
    id: { type: 'string' },
    streamRevision: { type: 'integer', minimum: -1 },
    position: { type: ['string', 'null'] },
  },
};
const created = { status: 201, schema: RESULT, headers: ['ETag', 'Location', 'X-Correlation-Id'] };
const ok = { status: 200, schema: RESULT, headers: ['ETag', 'X-Correlation-Id'] };
const id = pathParamDoc('id', 'uuid');
const sku = pathParamDoc('sku', 'sku');
const headers = [
  {
    name: 'If-Match',
    in: 'header' as const,
    schema: { type: 'string' },
    description: 'the expected stream revision, quoted: "3"',
  },
  {
    name: 'Idempotency-Key',
    in: 'header' as const,
    schema: { type: 'string', maxLength: 255 },
    description: 'replays the first answer for 24 h',
  },
  { name: 'X-Correlation-Id', in: 'header' as const, schema: { type: 'string', maxLength: 128 } },
  { name: 'X-Actor', in: 'header' as const, schema: { type: 'string', maxLength: 128 } },
];

/** The command routes as documented; a spec checks each one is really served. */
export const COMMAND_OPERATIONS: OperationDoc[] = [
  {
    method: 'post',
    path: '/products',
    summary: 'Create a product (claims its SKU)',
    requestBody: 'CreateProductDto',
    success: created,
    parameters: headers,
  },
  {
    method: 'patch',
    path: '/products/:id',
    summary: 'Update product details',
    requestBody: 'UpdateProductDetailsDto',
    success: ok,
    parameters: [id, ...headers],
  },
  {
    method: 'post',
    path: '/products/:id/price',
    summary: 'Change the price',
    requestBody: 'ChangeProductPriceDto',
    success: ok,
    parameters: [id, ...headers],
  },
  {
    method: 'post',
    path: '/products/:id/discontinue',
    summary: 'Discontinue a product',
    requestBody: 'DiscontinueProductDto',
    success: ok,
    parameters: [id, ...headers],
  },
  {
    method: 'post',
    path: '/inventory/:sku/receipts',
    summary: 'Receive stock',
    requestBody: 'ReceiveStockDto',
    success: ok,
    parameters: [sku, ...headers],
  },
  {
    method: 'post',
    path: '/inventory/:sku/adjustments',
    summary: 'Adjust stock (signed)',
    requestBody: 'AdjustStockDto',
    success: ok,
    parameters: [sku, ...headers],
  },
  {
    method: 'post',
    path: '/orders',
    summary: 'Place an order (priced from the catalog)',
    requestBody: 'PlaceOrderDto',
    success: created,
    parameters: headers,
  },
  {
    method: 'post',
    path: '/orders/:id/payments',
    summary: 'Record a payment',
    requestBody: 'RecordPaymentDto',
    success: ok,
    parameters: [id, ...headers],
  },
  {
    method: 'post',
    path: '/orders/:id/shipment',
    summary: 'Ship an order',
    requestBody: 'ShipOrderDto',
    success: ok,
    parameters: [id, ...headers],
  },
  {
    method: 'post',
    path: '/orders/:id/cancellation',
    summary: 'Cancel an order',
    requestBody: 'CancelOrderDto',
    success: ok,
    parameters: [id, ...headers],
  },
];

export function openApiRoute(router: Router): void {
  serveOpenApi(router, { title: 'Strata command API', version: '1' }, COMMAND_OPERATIONS);
}
