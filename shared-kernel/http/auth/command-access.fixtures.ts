/** For the command access specs: the command API with tokens over a real SQLite event store. */
import type { Express } from 'express';
import request from 'supertest';
import { createLruCache } from '../../cache/lru';
import { newId } from '../../ids';
import { createCommandApp } from '../../../write-side/api/app';
import { commandDispatcher } from '../../../write-side/command-handling/dispatch';
import {
  openHandlerFixture,
  testContext,
  type HandlerFixture,
} from '../../../write-side/command-handling/command-handler.fixtures';
import { openAuthentication } from './access';
import type { AuthSettings } from './config';
import { OPEN_ACCESS } from './guards';
import { ADMIN } from './principals.fixtures';
import { signHs256 } from './tokens.fixtures';

export const ADDRESS = {
  name: 'Ada',
  line1: '1 Main St',
  city: 'Leeds',
  postalCode: 'LS1',
  country: 'GB',
};

export interface CommandAccessFixture {
  base: HandlerFixture;
  app: Express;
  eventCount(): Promise<number>;
  /** A product with stock, made by an all-roles caller; `sku` is its SKU. */
  stocked(): Promise<{ productId: string; sku: string }>;
  /** An order of `customerId` for one unit at 10.00 EUR, moved on to `state`. */
  order(customerId: string, state?: 'placed' | 'confirmed' | 'paid'): Promise<string>;
  close(): Promise<void>;
}

export async function openCommandAccessFixture(
  settings: AuthSettings,
): Promise<CommandAccessFixture> {
  const base = openHandlerFixture();
  const dispatch = commandDispatcher(base.handler());
  const cache = createLruCache();
  const app = createCommandApp({
    dispatch,
    store: base.store,
    cache,
    logger: base.logger,
    bodyLimitBytes: 65_536,
    access: { ...OPEN_ACCESS, authentication: await openAuthentication(settings) },
  });
  const admin = settings.mode === 'token' ? `Bearer ${await signHs256(ADMIN)}` : 'none';
  const post = async (path: string, body: object) => {
    const res = await request(app).post(path).set('Authorization', admin).send(body);
    if (res.status >= 300) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.id as string;
  };
  let count = 0;
  async function stocked() {
    const sku = `ACC-${++count}-${newId().slice(-6)}`;
    const productId = await post('/products', {
      sku,
      name: 'Kettle',
      category: 'kitchen',
      price: { amount: 1000, currency: 'EUR' },
    });
    await post(`/inventory/${sku}/receipts`, { quantity: 10 });
    return { productId, sku };
  }
  return {
    base,
    app,
    eventCount: async () => (await base.allEvents()).length,
    stocked,
    async order(customerId, state = 'placed') {
      const { productId } = await stocked();
      const lines = [{ productId, quantity: 1 }];
      const orderId = await post('/orders', { customerId, lines, shippingAddress: ADDRESS });
      if (state === 'placed') return orderId;
      // Confirmation is the saga's job, not an HTTP route: issue it as the saga would.
      await dispatch({
        aggregate: 'order',
        command: { type: 'ConfirmOrder', data: { orderId, at: new Date().toISOString() } },
        commandId: newId(),
        context: testContext(),
      });
      if (state === 'paid') {
        const amount = { amount: 1000, currency: 'EUR' };
        await post(`/orders/${orderId}/payments`, { amount, paymentReference: 'PAY-1' });
      }
      return orderId;
    },
    async close() {
      await cache.close();
      await base.close();
    },
  };
}
