import type { Access } from '../../../shared-kernel/http/auth/policy';
import type { RouteSpec } from '../../../shared-kernel/http/routes';
import { commandRoute, type CommandRouteDeps } from '../command-route';
import { AdjustStockDto, ReceiveStockDto } from './dtos';

const INVENTORY_WRITE: Access = { kind: 'role', role: 'inventory:write' };

/** The stock commands, for `inventory:write` only. */
export function inventoryCommandRoutes(deps: CommandRouteDeps): RouteSpec[] {
  return [
    commandRoute(deps, {
      method: 'post',
      path: '/inventory/:sku/receipts',
      summary: 'Receive stock',
      access: INVENTORY_WRITE,
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
    commandRoute(deps, {
      method: 'post',
      path: '/inventory/:sku/adjustments',
      summary: 'Adjust stock (signed)',
      access: INVENTORY_WRITE,
      dto: AdjustStockDto,
      aggregate: 'stock',
      param: 'sku',
      command: ({ body, param }) => ({
        type: 'AdjustStock',
        data: { sku: param, quantity: body.quantity, reason: body.reason },
      }),
    }),
  ];
}
