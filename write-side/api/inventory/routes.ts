import type { Router } from 'express';
import { route } from '../../../shared-kernel/http/error-handling';
import { commandRoute, type CommandRouteDeps } from '../command-route';
import { AdjustStockDto, ReceiveStockDto } from './dtos';

export function inventoryRoutes(router: Router, deps: CommandRouteDeps): void {
  route(router, '/inventory/:sku/receipts', {
    post: [
      commandRoute(deps, {
        dto: ReceiveStockDto,
        aggregate: 'stock',
        param: 'sku',
        command: ({ body, param }) => ({
          type: 'ReceiveStock',
          data: {
            sku: param,
            quantity: body.quantity,
            ...(body.reference !== undefined && { reference: body.reference }),
          },
        }),
      }),
    ],
  });
  route(router, '/inventory/:sku/adjustments', {
    post: [
      commandRoute(deps, {
        dto: AdjustStockDto,
        aggregate: 'stock',
        param: 'sku',
        command: ({ body, param }) => ({
          type: 'AdjustStock',
          data: { sku: param, quantity: body.quantity, reason: body.reason },
        }),
      }),
    ],
  });
}
