import { expect } from 'chai';
import type { Express } from 'express';
import request from 'supertest';
import { openLruCache } from '../../cache/lru-cache';
import { openSqliteIdempotencyStore } from '../../idempotency/sqlite';
import { createQueryApp } from '../../../read-side/app';
import {
  commandsOf,
  openQueryFixture,
  type QueryFixture,
} from '../../../read-side/query-app.fixtures';
import { createCommandApp } from '../../../write-side/api/app';
import { createCommandHandler } from '../../../write-side/command-handling/command-handler';
import { commandDispatcher } from '../../../write-side/command-handling/dispatch';
import { domainEventUpcasting } from '../../../write-side/aggregates';
import { openAuthentication } from './access';
import { ADDRESS } from './command-access.fixtures';
import { OPEN_ACCESS } from './guards';
import { hs256Settings, quietLogger, signHs256 } from './tokens.fixtures';

/** Subjects as identity providers issue them: none is a UUID. */
const SUBJECTS = [
  'auth0|5f7c8ec7c33c6c004bbafe82',
  '104715937368113622911',
  'urn:idp:users/ada lovelace',
  'Jürgen Ω 𝄞',
  'x'.repeat(200),
];

describe("customer ids are the identity provider's subjects (tokens, commands through queries)", () => {
  let fx: QueryFixture;
  let commands: Express;
  let queries: Express;
  let productId: string;
  const closers: Array<() => Promise<void>> = [];

  before(async () => {
    fx = await openQueryFixture();
    const open = commandsOf(fx);
    productId = (
      await open.createProduct({ sku: 'SUBJ-1', name: 'Lamp', category: 'home', amount: 900 })
    ).id;
    await open.receive('SUBJ-1', 100);
    const logger = quietLogger();
    const access = { ...OPEN_ACCESS, authentication: await openAuthentication(hs256Settings()) };
    const idempotency = openSqliteIdempotencyStore({ dataDir: fx.dir });
    closers.push(() => idempotency.close());
    commands = createCommandApp({
      dispatch: commandDispatcher(
        createCommandHandler({ store: fx.events, upcasting: domainEventUpcasting(), logger }),
      ),
      store: fx.events,
      idempotency,
      logger,
      bodyLimitBytes: 65_536,
      access,
    });
    queries = createQueryApp({
      documents: fx.documents,
      search: fx.search,
      cache: openLruCache(),
      watcher: fx.watcher,
      logger,
      cacheTtlMs: 60_000,
      minPositionWaitMs: 1000,
      access,
    });
  });
  after(async () => {
    for (const close of closers) await close();
    await fx.close();
  });

  const customer = async (subject: string) =>
    `Bearer ${await signHs256({ subject, roles: ['customer'] })}`;
  const ownOrders = (subject: string) => `/customers/${encodeURIComponent(subject)}/orders`;

  for (const subject of SUBJECTS) {
    it(`${JSON.stringify(subject.length > 40 ? `${subject.slice(0, 8)}... (${subject.length})` : subject)} orders, reads and cancels its own orders; others get 404`, async () => {
      const token = await customer(subject);
      const lines = [{ productId, quantity: 1 }];
      const placed = await request(commands)
        .post('/orders')
        .set('Authorization', token)
        .send({ customerId: subject, lines, shippingAddress: ADDRESS });
      expect(placed.status, JSON.stringify(placed.body)).to.equal(201);
      const orderId = placed.body.id as string;
      const wait = placed.body.position as string;
      await fx.project();

      const one = await request(queries)
        .get(`/orders/${orderId}`)
        .set('Authorization', token)
        .set('X-Min-Position', wait);
      expect(one.status, JSON.stringify(one.body)).to.equal(200);
      expect(one.body.customerId).to.equal(subject);
      const list = await request(queries).get(ownOrders(subject)).set('Authorization', token);
      expect(list.status, JSON.stringify(list.body)).to.equal(200);
      expect(list.body.items.map((o: { orderId: string }) => o.orderId)).to.include(orderId);

      const stranger = await customer(`${subject.slice(0, 150)}-other`);
      await request(queries).get(ownOrders(subject)).set('Authorization', stranger).expect(404);
      await request(queries).get(`/orders/${orderId}`).set('Authorization', stranger).expect(404);
      await request(commands)
        .post('/orders')
        .set('Authorization', stranger)
        .send({ customerId: subject, lines, shippingAddress: ADDRESS })
        .expect(404);

      await request(commands)
        .post(`/orders/${orderId}/cancellation`)
        .set('Authorization', token)
        .send({ reason: 'changed my mind' })
        .expect(200);
    });
  }

  it('refuses a customer id that is empty, longer than 200 characters or holds control characters', async () => {
    const staff = `Bearer ${await signHs256({ subject: 'staff-1', roles: ['orders:write'] })}`;
    for (const customerId of ['', 'x'.repeat(201), 'bad\u0000id', 'line\nbreak', '   ', 7]) {
      const res = await request(commands)
        .post('/orders')
        .set('Authorization', staff)
        .send({ customerId, lines: [{ productId, quantity: 1 }], shippingAddress: ADDRESS });
      expect(res.status, JSON.stringify(customerId)).to.equal(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).to.deep.equal(['customerId']);
    }
    for (const path of ['/customers/bad%00id/orders', `/customers/${'x'.repeat(201)}/orders`]) {
      const res = await request(queries).get(path).set('Authorization', staff);
      expect(res.status, path).to.equal(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).to.deep.equal(['id']);
    }
  });
});
