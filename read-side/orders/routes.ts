import type { Router } from 'express';
import { route } from '../../shared-kernel/http/error-handling';
import { noQueryParams, pageSize, queryParams } from '../http/query-params';
import { pathParam } from '../../shared-kernel/http/path-params';
import { readRoute, type QueryRouteDeps } from '../http/read-route';
import { CustomerOrdersQuery } from './dtos';
import { customerOrders, INVENTORY, orderById, ORDERS, stockOf } from './orders';

export function orderRoutes(router: Router, deps: QueryRouteDeps): void {
  const { documents, cache, consistency } = deps;
  route(router, '/orders/:id', {
    get: [
      readRoute(consistency, {
        processor: ORDERS,
        async parse(request) {
          await noQueryParams(request);
          return pathParam(request, 'id', 'uuid');
        },
        answer: (id, servedAt) =>
          cache.through(`orders/id/${id}`, servedAt, () => orderById(documents, id)),
        notFound: (id) => `order ${id} does not exist`,
      }),
    ],
  });
  route(router, '/customers/:id/orders', {
    get: [
      readRoute(consistency, {
        processor: ORDERS,
        async parse(request) {
          const query = await queryParams(CustomerOrdersQuery, request);
          return {
            customerId: pathParam(request, 'id', 'uuid'),
            filter: {
              ...(query.status !== undefined && { status: query.status }),
              ...(query.cursor !== undefined && { cursor: query.cursor }),
              limit: pageSize(query.limit),
            },
          };
        },
        answer: ({ customerId, filter }) => customerOrders(documents, customerId, filter),
      }),
    ],
  });
  route(router, '/inventory/:sku', {
    get: [
      readRoute(consistency, {
        processor: INVENTORY,
        async parse(request) {
          await noQueryParams(request);
          return pathParam(request, 'sku', 'sku');
        },
        answer: (sku, servedAt) =>
          cache.through(`inventory/${sku}`, servedAt, async () => {
            const doc = await stockOf(documents, sku);
            return (
              doc && {
                sku: doc.sku,
                onHand: doc.onHand,
                reserved: doc.reserved,
                available: doc.available,
                version: doc.version,
                updatedAt: doc.updatedAt,
              }
            );
          }),
        notFound: (sku) => `no stock has been recorded for SKU ${sku}`,
      }),
    ],
  });
}
