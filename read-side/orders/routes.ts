import type { Request } from 'express';
import { pathParam, pathParamDoc } from '../../shared-kernel/http/path-params';
import type { RouteSpec } from '../../shared-kernel/http/routes';
import { pageSize } from '../http/query-params';
import { readRoute, type QueryRouteDeps } from '../http/read-route';
import { CustomerOrdersQuery } from './dtos';
import { customerOrders, orderById, ORDERS, ORDER_STATUSES } from './orders';

/**
 * Orders are for staff with `orders:write`, or the customer they belong to; a customer asking
 * for anyone else's is told 404, as for an unknown order.
 */
export function orderQueryRoutes(deps: QueryRouteDeps): RouteSpec[] {
  const { documents, cache, consistency } = deps;
  return [
    readRoute(consistency, {
      path: '/orders/:id',
      summary: 'One order with its status history',
      access: {
        kind: 'role-or-customer',
        role: 'orders:write',
        // The owner is only known from the order itself, so the check sits on the answer.
        customer: {
          when: 'answer',
          ownerOf: (answer) => (answer as { customerId?: unknown } | null)?.customerId,
          hiddenAs: (request) => `order ${segment(request, 2)} does not exist`,
        },
      },
      processor: ORDERS,
      parameters: [pathParamDoc('id', 'uuid')],
      parse: (request) => pathParam(request, 'id', 'uuid'),
      answer: (id, servedAt) =>
        cache.through(`orders/id/${id}`, servedAt, () => orderById(documents, id)),
      notFound: (id) => `order ${id} does not exist`,
    }),
    readRoute(consistency, {
      path: '/customers/:id/orders',
      summary: "A customer's orders, newest first",
      access: {
        kind: 'role-or-customer',
        role: 'orders:write',
        customer: { when: 'before', owns: (request, subject) => segment(request, 2) === subject },
      },
      processor: ORDERS,
      parameters: [pathParamDoc('id', 'uuid')],
      query: CustomerOrdersQuery,
      queryExamples: { status: ORDER_STATUSES[0] ?? 'placed', limit: '20' },
      list: true,
      parse: (request, query) => ({
        customerId: pathParam(request, 'id', 'uuid'),
        filter: {
          ...(query.status !== undefined && { status: query.status }),
          ...(query.cursor !== undefined && { cursor: query.cursor }),
          limit: pageSize(query.limit),
        },
      }),
      answer: ({ customerId, filter }) => customerOrders(documents, customerId, filter),
    }),
  ];
}

/** Access rules run before the router, so path parameters are read from the path itself. */
function segment(request: Request, index: number): string {
  return decodeURIComponent(request.path.split('/')[index] ?? '');
}
