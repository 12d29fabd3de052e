import type { Express } from 'express';
import request from 'supertest';
import { expect } from 'chai';
import type { Cache } from '../../shared-kernel/cache/port';
import { createLruCache } from '../../shared-kernel/cache/lru';
import { newId } from '../../shared-kernel/ids';
import { commandDispatcher } from '../command-handling/dispatch';
import {
  openHandlerFixture,
  type HandlerFixture,
} from '../command-handling/command-handler.fixtures';
import { createCommandApp } from './app';

/** For specs: the command app over a real SQLite store, and ways to see what it appended. */
export interface ApiFixture extends HandlerFixture {
  app: Express;
  cache: Cache;
  eventCount(): Promise<number>;
  /** Creates a product over HTTP; returns its id. */
  product(options?: { sku?: string; amount?: number; currency?: string }): Promise<string>;
  /** Creates a product with stock over HTTP; returns its id and SKU. */
  stockedProduct(quantity: number, amount?: number): Promise<{ productId: string; sku: string }>;
}

export const NOW = new Date('2025-03-04T05:06:07.000Z');

export function openApiFixture(options: { cache?: Cache } = {}): ApiFixture {
  const base = openHandlerFixture();
  const cache = options.cache ?? createLruCache();
  const app = createCommandApp({
    dispatch: commandDispatcher(base.handler()),
    store: base.store,
    cache,
    logger: base.logger,
    bodyLimitBytes: 65536,
    clock: () => NOW,
  });
  let skuCounter = 0;
  async function product(opts: { sku?: string; amount?: number; currency?: string } = {}) {
    const sku = opts.sku ?? `SKU-${++skuCounter}-${newId().slice(-6)}`;
    const res = await request(app)
      .post('/products')
      .send({
        sku,
        name: 'Kettle',
        category: 'kitchen',
        price: { amount: opts.amount ?? 1000, currency: opts.currency ?? 'EUR' },
      })
      .expect(201);
    return res.body.id as string;
  }
  return {
    ...base,
    app,
    cache,
    async eventCount() {
      return (await base.allEvents()).length;
    },
    product,
    async stockedProduct(quantity, amount = 1000) {
      const sku = `STK-${++skuCounter}-${newId().slice(-6)}`;
      const productId = await product({ sku, amount });
      await request(app).post(`/inventory/${sku}/receipts`).send({ quantity }).expect(200);
      return { productId, sku };
    },
    async close() {
      await cache.close();
      await base.close();
    },
  };
}

/** Asserts a problem+json answer and returns its body. */
export function expectProblem(res: request.Response, status: number, type?: string) {
  expect(res.status, JSON.stringify(res.body)).to.equal(status);
  expect(res.headers['content-type']).to.match(/^application\/problem\+json/);
  expect(res.body).to.include.keys('type', 'title', 'status', 'detail');
  expect(res.body.status).to.equal(status);
  if (type) expect(res.body.type).to.equal(type);
  return res.body as {
    type: string;
    detail: string;
    errors?: { field: string; message: string }[];
  };
}

export function fieldsOf(body: { errors?: { field: string }[] }): string[] {
  return [...new Set((body.errors ?? []).map((e) => e.field))].sort();
}
