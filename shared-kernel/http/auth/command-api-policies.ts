import type { Request } from 'express';
import type { EventStore } from '../../event-store/port';
import { isUuid } from '../../ids';
import type { RoutePolicy } from './policy';

const OPERATIONS = ['/livez', '/readyz', '/metrics', '/openapi.json'];

/** Who may send which command (API.md's command table), checked before anything is appended. */
export function commandApiPolicies(store: EventStore): RoutePolicy[] {
  const hiddenOrder = (request: Request) => `order ${orderIdOf(request)} does not exist`;
  return [
    ...OPERATIONS.map((path): RoutePolicy => ({ method: 'GET', path, access: { kind: 'public' } })),
    { method: 'POST', path: '/products', access: { kind: 'role', role: 'catalog:write' } },
    { method: 'PATCH', path: '/products/:id', access: { kind: 'role', role: 'catalog:write' } },
    {
      method: 'POST',
      path: '/products/:id/price',
      access: { kind: 'role', role: 'catalog:write' },
    },
    {
      method: 'POST',
      path: '/products/:id/discontinue',
      access: { kind: 'role', role: 'catalog:write' },
    },
    {
      method: 'POST',
      path: '/inventory/:sku/receipts',
      access: { kind: 'role', role: 'inventory:write' },
    },
    {
      method: 'POST',
      path: '/inventory/:sku/adjustments',
      access: { kind: 'role', role: 'inventory:write' },
    },
    {
      method: 'POST',
      path: '/orders',
      access: {
        kind: 'role-or-customer',
        role: 'orders:write',
        // A body without a string customerId is left to validation, which refuses it.
        customer: { when: 'before', owns: (request, subject) => placesFor(request, subject) },
      },
    },
    {
      method: 'POST',
      path: '/orders/:id/payments',
      access: { kind: 'role', role: 'orders:write' },
    },
    {
      method: 'POST',
      path: '/orders/:id/shipment',
      access: { kind: 'role', role: 'orders:write' },
    },
    {
      method: 'POST',
      path: '/orders/:id/cancellation',
      access: {
        kind: 'role-or-customer',
        role: 'orders:write',
        customer: {
          when: 'before',
          owns: (request, subject) => ownsOrder(store, request, subject),
          hiddenAs: hiddenOrder,
        },
      },
    },
  ];
}

function placesFor(request: Request, subject: string): boolean {
  const customerId = (request.body as { customerId?: unknown } | undefined)?.customerId;
  return typeof customerId !== 'string' || customerId === subject;
}

/**
 * The owner is the customer its OrderPlaced names; it never changes, so one read of the
 * stream's first event decides. A malformed id is left to the route's own 400.
 */
async function ownsOrder(store: EventStore, request: Request, subject: string): Promise<boolean> {
  const orderId = orderIdOf(request);
  if (!isUuid(orderId)) return true;
  for await (const event of store.readStream(`order-${orderId}`, { maxCount: 1 })) {
    return (event.data as { customerId?: unknown }).customerId === subject;
  }
  return false;
}

/** Policies run before the router, so the id is read from the path itself: /orders/<id>/... */
function orderIdOf(request: Request): string {
  return request.path.split('/')[2] ?? '';
}
