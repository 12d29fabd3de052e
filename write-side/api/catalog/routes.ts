import type { Router } from 'express';
import { route } from '../../../shared-kernel/http/error-handling';
import { commandRoute, type CommandRouteDeps } from '../command-route';
import {
  ChangeProductPriceDto,
  CreateProductDto,
  DiscontinueProductDto,
  UpdateProductDetailsDto,
} from './dtos';

export function productRoutes(router: Router, deps: CommandRouteDeps): void {
  route(router, '/products', {
    post: [
      commandRoute(deps, {
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
    ],
  });
  route(router, '/products/:id', {
    patch: [
      commandRoute(deps, {
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
    ],
  });
  route(router, '/products/:id/price', {
    post: [
      commandRoute(deps, {
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
    ],
  });
  route(router, '/products/:id/discontinue', {
    post: [
      commandRoute(deps, {
        dto: DiscontinueProductDto,
        aggregate: 'product',
        param: 'id',
        command: ({ body, param }) => ({
          type: 'DiscontinueProduct',
          data: { productId: param, ...(body.reason !== undefined && { reason: body.reason }) },
        }),
      }),
    ],
  });
}
