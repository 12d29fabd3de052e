import type { Request } from 'express';
import type { EventStore } from '../../../shared-kernel/event-store/port';
import type { Access } from '../../../shared-kernel/http/auth/policy';
import type { RouteSpec } from '../../../shared-kernel/http/routes';
import { isUuid } from '../../../shared-kernel/ids';
import { streamIdOf } from '../../aggregates';
import { commandRoute, type CommandRouteDeps } from '../command-route';
import { CancelOrderDto, PlaceOrderDto, RecordPaymentDto, ShipOrderDto } from './dtos';

const ORDERS_WRITE: Access = { kind: 'role', role: 'orders:write' };

/**
 * The order commands: staff with `orders:write`; a customer may place its own orders and
 * cancel them, and is told 404 for anyone else's (as for an unknown order).
 */
export function orderCommandRoutes(deps: CommandRouteDeps): RouteSpec[] {
  return [
    commandRoute(deps, {
      method: 'post',
      path: '/orders',
      summary: 'Place an order (priced from the catalog)',
      access: {
        kind: 'role-or-customer',
        role: 'orders:write',
        customer: { when: 'before', owns: placesOwnOrder },
      },
      dto: PlaceOrderDto,
      aggregate: 'order',
      createdAt: (id) => `/orders/${id}`,
      command: ({ body, at, newId }) => {
        const { name, line1, line2, city, postalCode, country } = body.shippingAddress;
        return {
          type: 'PlaceOrder',
          data: {
            orderId: body.orderId ?? newId(),
            customerId: body.customerId,
            // The catalog snapshot is filled in by the PlaceOrder context loader.
            lines: body.lines.map(({ productId, quantity }) => ({
              productId,
              quantity,
              product: null,
            })),
            shippingAddress: {
              name,
              line1,
              ...(line2 !== undefined && { line2 }),
              city,
              postalCode,
              country,
            },
            at,
          },
        };
      },
    }),
    commandRoute(deps, {
      method: 'post',
      path: '/orders/:id/payments',
      summary: 'Record a payment',
      access: ORDERS_WRITE,
      dto: RecordPaymentDto,
      aggregate: 'order',
      param: 'id',
      command: ({ body, param, at }) => ({
        type: 'RecordPayment',
        data: {
          orderId: param,
          amount: { amount: body.amount.amount, currency: body.amount.currency },
          paymentReference: body.paymentReference,
          at,
        },
      }),
    }),
    commandRoute(deps, {
      method: 'post',
      path: '/orders/:id/shipment',
      summary: 'Ship an order',
      access: ORDERS_WRITE,
      dto: ShipOrderDto,
      aggregate: 'order',
      param: 'id',
      command: ({ body, param, at }) => ({
        type: 'ShipOrder',
        data: { orderId: param, carrier: body.carrier, trackingNumber: body.trackingNumber, at },
      }),
    }),
    commandRoute(deps, {
      method: 'post',
      path: '/orders/:id/cancellation',
      summary: 'Cancel an order',
      access: {
        kind: 'role-or-customer',
        role: 'orders:write',
        customer: {
          when: 'before',
          owns: (request, subject) => ownsOrder(deps.store, request, subject),
          hiddenAs: (request) => `order ${orderIdOf(request)} does not exist`,
        },
      },
      dto: CancelOrderDto,
      aggregate: 'order',
      param: 'id',
      command: ({ body, param, at }) => ({
        type: 'CancelOrder',
        data: { orderId: param, reason: body.reason, at },
      }),
    }),
  ];
}

/** A body without a string customerId is left to validation, which refuses it. */
function placesOwnOrder(request: Request, subject: string): boolean {
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
  for await (const event of store.readStream(streamIdOf('order', orderId), { maxCount: 1 })) {
    return (event.data as { customerId?: unknown }).customerId === subject;
  }
  return false;
}

/** Access rules run before the router, so the id is read from the path itself: /orders/<id>/... */
function orderIdOf(request: Request): string {
  return request.path.split('/')[2] ?? '';
}
