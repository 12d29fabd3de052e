import type { Request } from 'express';
import type { RoutePolicy } from './policy';

const OPERATIONS = ['/livez', '/readyz', '/metrics', '/openapi.json'];

/**
 * Who may read what (API.md's query tables). Catalog, stock and search: any caller with a
 * token. Orders: staff, or the customer they belong to. Audit: auditors.
 */
export function queryApiPolicies(): RoutePolicy[] {
  return [
    ...OPERATIONS.map((path): RoutePolicy => ({ method: 'GET', path, access: { kind: 'public' } })),
    {
      method: 'GET',
      path: '/orders/:id',
      access: {
        kind: 'role-or-customer',
        role: 'orders:write',
        customer: {
          when: 'answer',
          ownerOf: (answer) => (answer as { customerId?: unknown } | null)?.customerId,
          hiddenAs: (request) => `order ${segment(request, 2)} does not exist`,
        },
      },
    },
    {
      method: 'GET',
      path: '/customers/:id/orders',
      access: {
        kind: 'role-or-customer',
        role: 'orders:write',
        customer: { when: 'before', owns: (request, subject) => segment(request, 2) === subject },
      },
    },
    { method: 'GET', path: '/audit/*', access: { kind: 'role', role: 'auditor' } },
  ];
}

/** Policies run before the router, so path parameters are read from the path itself. */
function segment(request: Request, index: number): string {
  return decodeURIComponent(request.path.split('/')[index] ?? '');
}
