import type { Router } from 'express';
import { route } from '../../../shared-kernel/http/error-handling';
import { commandRoute, type CommandRouteDeps } from '../command-route';
import { CancelOrderDto, PlaceOrderDto, RecordPaymentDto, ShipOrderDto } from './dtos';

export function orderRoutes(router: Router, deps: CommandRouteDeps): void {
  route(router, '/orders', {
    post: [
      commandRoute(deps, {
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
    ],
  });
  route(router, '/orders/:id/payments', {
    post: [
      commandRoute(deps, {
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
    ],
  });
  route(router, '/orders/:id/shipment', {
    post: [
      commandRoute(deps, {
        dto: ShipOrderDto,
        aggregate: 'order',
        param: 'id',
        command: ({ body, param, at }) => ({
          type: 'ShipOrder',
          data: { orderId: param, carrier: body.carrier, trackingNumber: body.trackingNumber, at },
        }),
      }),
    ],
  });
  route(router, '/orders/:id/cancellation', {
    post: [
      commandRoute(deps, {
        dto: CancelOrderDto,
        aggregate: 'order',
        param: 'id',
        command: ({ body, param, at }) => ({
          type: 'CancelOrder',
          data: { orderId: param, reason: body.reason, at },
        }),
      }),
    ],
  });
}
