import type { Access } from '../../../shared-kernel/http/auth/policy';
import type { RouteSpec } from '../../../shared-kernel/http/routes';
import { commandRoute, type CommandRouteDeps } from '../command-route';
import {
  ChangeProductPriceDto,
  CreateProductDto,
  DiscontinueProductDto,
  UpdateProductDetailsDto,
} from './dtos';

const CATALOG_WRITE: Access = { kind: 'role', role: 'catalog:write' };

/** The product commands, for `catalog:write` only. */
export function catalogCommandRoutes(deps: CommandRouteDeps): RouteSpec[] {
  return [
    commandRoute(deps, {
      method: 'post',
      path: '/products',
      summary: 'Create a product (claims its SKU)',
      access: CATALOG_WRITE,
      dto: CreateProductDto,
      aggregate: 'product',
      createdAt: (id) => `/products/${id}`,
      command: ({ body, newId }) => ({
        type: 'CreateProduct',
        data: {
          productId: body.productId ?? newId(),
          sku: body.sku,
          name: body.name,
          description: body.description ?? '',
          category: body.category,
          price: { amount: body.price.amount, currency: body.price.currency },
          attributes: { ...body.attributes },
        },
      }),
    }),
    commandRoute(deps, {
      method: 'patch',
      path: '/products/:id',
      summary: 'Update product details',
      access: CATALOG_WRITE,
      dto: UpdateProductDetailsDto,
      aggregate: 'product',
      param: 'id',
      command: ({ body, param }) => ({
        type: 'UpdateProductDetails',
        data: {
          productId: param,
          ...(body.name !== undefined && { name: body.name }),
          ...(body.description !== undefined && { description: body.description }),
          ...(body.category !== undefined && { category: body.category }),
          ...(body.attributes !== undefined && { attributes: { ...body.attributes } }),
        },
      }),
    }),
    commandRoute(deps, {
      method: 'post',
      path: '/products/:id/price',
      summary: 'Change the price',
      access: CATALOG_WRITE,
      dto: ChangeProductPriceDto,
      aggregate: 'product',
      param: 'id',
      command: ({ body, param }) => ({
        type: 'ChangeProductPrice',
        data: {
          productId: param,
          price: { amount: body.price.amount, currency: body.price.currency },
        },
      }),
    }),
    commandRoute(deps, {
      method: 'post',
      path: '/products/:id/discontinue',
      summary: 'Discontinue a product',
      access: CATALOG_WRITE,
      dto: DiscontinueProductDto,
      aggregate: 'product',
      param: 'id',
      command: ({ body, param }) => ({
        type: 'DiscontinueProduct',
        data: { productId: param, ...(body.reason !== undefined && { reason: body.reason }) },
      }),
    }),
  ];
}
