import { expect } from 'chai';
import type { Server } from 'node:http';
import request from 'supertest';
import { createLruCache } from '../../shared-kernel/cache/lru';
import { commandDispatcher } from '../command-handling/dispatch';
import { openApiFixture, type ApiFixture } from './command-app.fixtures';
import { createCommandApp } from './app';

/*
 * Many writers on ONE aggregate at once, through HTTP: unconditional commands all land (the
 * handler retries its conflicts within a time budget), none twice; with If-Match every loser
 * is told 412 and nothing of it is stored.
 */
describe('command API: 32 concurrent writers on one aggregate', () => {
  const WRITERS = 32;
  let f: ApiFixture;
  let server: Server;
  beforeEach(() => {
    f = openApiFixture();
    server = f.app.listen(0);
  });
  afterEach(async () => {
    await new Promise((resolve) => server.close(resolve));
    await f.close();
  });

  it('32 unconditional price changes on one product all succeed, each stored once', async () => {
    const productId = await f.product({ amount: 1 });
    const answers = await Promise.all(
      Array.from({ length: WRITERS }, (_, n) =>
        request(server)
          .post(`/products/${productId}/price`)
          .send({ price: { amount: 1000 + n, currency: 'EUR' } }),
      ),
    );
    expect(answers.map((answer) => answer.status)).to.deep.equal(Array(WRITERS).fill(200));
    const events = await f.streamEvents(`product-${productId}`);
    const changes = events.filter((event) => event.type === 'ProductPriceChanged');
    expect(changes).to.have.length(WRITERS);
    const amounts = changes.map((event) => (event.data as { price: { amount: number } }).price);
    expect(new Set(amounts.map((price) => price.amount)).size).to.equal(WRITERS);
    // Each answer names the revision its own change landed at, a different one for each.
    const revisions = answers.map((answer) => answer.body.streamRevision as number);
    expect(new Set(revisions).size).to.equal(WRITERS);
  });

  it('32 concurrent receipts on one SKU all succeed and add up exactly', async () => {
    const { sku } = await f.stockedProduct(1);
    const answers = await Promise.all(
      Array.from({ length: WRITERS }, (_, n) =>
        request(server)
          .post(`/inventory/${sku}/receipts`)
          .send({ quantity: n + 1 }),
      ),
    );
    expect(answers.filter((answer) => answer.status === 200)).to.have.length(WRITERS);
    const events = await f.streamEvents(`stock-${sku}`);
    const received = events.map((event) => (event.data as { quantity: number }).quantity);
    expect(received).to.have.length(WRITERS + 1);
    expect(received.reduce((sum, quantity) => sum + quantity, 0)).to.equal(
      1 + (WRITERS * (WRITERS + 1)) / 2,
    );
  });

  it('two command APIs on one store (two processes): all 32 land, conflicts retried across them', async () => {
    const { sku } = await f.stockedProduct(1);
    const other = createCommandApp({
      dispatch: commandDispatcher(f.handler()),
      store: f.store,
      cache: createLruCache(),
      logger: f.logger,
      bodyLimitBytes: 65536,
    }).listen(0);
    try {
      const answers = await Promise.all(
        Array.from({ length: WRITERS }, (_, n) =>
          request(n % 2 === 0 ? server : other)
            .post(`/inventory/${sku}/adjustments`)
            .send({ quantity: 1, reason: `recount ${n}` }),
        ),
      );
      expect(answers.filter((answer) => answer.status === 200)).to.have.length(WRITERS);
      const adjusted = (await f.streamEvents(`stock-${sku}`)).filter(
        (event) => event.type === 'StockAdjusted',
      );
      expect(adjusted).to.have.length(WRITERS);
      expect(f.logLines.some((line) => line.includes('concurrency conflict, retrying'))).to.equal(
        true,
      );
    } finally {
      await new Promise((resolve) => other.close(resolve));
    }
  });

  it('with If-Match on the same revision, one wins and the 31 others get 412, nothing stored', async () => {
    const productId = await f.product({ amount: 1 });
    const before = await f.eventCount();
    const answers = await Promise.all(
      Array.from({ length: WRITERS }, (_, n) =>
        request(server)
          .post(`/products/${productId}/price`)
          .set('If-Match', '"0"')
          .send({ price: { amount: 2000 + n, currency: 'EUR' } }),
      ),
    );
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses).to.deep.equal([200, ...Array(WRITERS - 1).fill(412)]);
    expect(await f.eventCount()).to.equal(before + 1);
  });
});
