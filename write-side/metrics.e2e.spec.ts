import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startChildService, type ChildService } from '../bench/support/child-service';
import { newId } from '../shared-kernel/ids';
import { scrape } from '../shared-kernel/metrics/scrape.fixtures';

const MAIN = path.join(__dirname, 'main.js');

describe('command API process: /metrics after traffic', function () {
  this.timeout(30_000);
  let dataDir: string;
  let api: ChildService;
  let base: string;
  before(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'strata-metrics-'));
    api = await startChildService(MAIN, {
      STRATA_DATA_DIR: dataDir,
      STRATA_COMMAND_PORT: '0',
      STRATA_LOG_FORMAT: 'json',
      ESDB_URL: undefined,
      REDIS_URL: undefined,
    });
    base = `http://127.0.0.1:${api.port}`;
  });
  after(async () => {
    await api.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const send = async (method: string, url: string, body: object, headers = {}) => {
    const response = await fetch(`${base}${url}`, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    await response.arrayBuffer();
    return response.status;
  };
  const product = (sku: string) => ({
    sku,
    name: 'Desk lamp',
    category: 'lighting',
    price: { amount: 4500, currency: 'EUR' },
  });

  it('counts requests by route template, commands by outcome, events and idempotent replays', async () => {
    for (let i = 0; i < 5; i++)
      expect(await send('POST', '/products', product(`MET-${i}`))).to.equal(201);
    expect(await send('POST', '/products', product('MET-0'))).to.equal(409);
    expect(await send('PATCH', `/products/${newId()}`, { name: 'Nobody' })).to.equal(404);
    expect(await send('POST', '/products', { sku: 'MET-X' })).to.equal(400);
    const key = { 'Idempotency-Key': `key-${newId()}` };
    expect(await send('POST', '/inventory/MET-1/receipts', { quantity: 3 }, key)).to.equal(200);
    expect(await send('POST', '/inventory/MET-1/receipts', { quantity: 3 }, key)).to.equal(200);

    const m = await scrape(base);
    const duration = 'strata_http_request_duration_seconds_count';
    expect(m.value(duration, { method: 'POST', route: '/products', status: '201' })).to.equal(5);
    expect(m.value(duration, { route: '/products', status: '409' })).to.equal(1);
    expect(m.value(duration, { route: '/products', status: '400' })).to.equal(1);
    expect(m.value(duration, { method: 'PATCH', route: '/products/:id', status: '404' })).to.equal(
      1,
    );
    expect(m.value(duration, { route: '/inventory/:sku/receipts', status: '200' })).to.equal(2);
    // Never the raw URL: one series per id would grow without bound.
    for (const labels of m.labelSets(duration))
      expect(labels.route).not.to.match(/MET-|[0-9a-f]{8}-/);

    const commands = 'strata_commands_total';
    expect(m.value(commands, { command: 'CreateProduct', outcome: 'ok' })).to.equal(5);
    expect(m.value(commands, { outcome: 'rejected', rule: 'duplicate-sku' })).to.equal(1);
    expect(m.value(commands, { command: 'UpdateProductDetails', rule: 'not-found' })).to.equal(1);
    // The replay ran no command: one ReceiveStock, one replay.
    expect(m.value(commands, { command: 'ReceiveStock', outcome: 'ok' })).to.equal(1);
    expect(m.value('strata_idempotency_replays_total')).to.equal(1);
    // Each created product appends its SKU claim and its creation; the receipt one event.
    const appended = 'strata_events_appended_total';
    expect(m.value(appended, { category: 'sku' })).to.equal(5);
    expect(m.value(appended, { category: 'product' })).to.equal(5);
    expect(m.value(appended, { category: 'stock' })).to.equal(1);
    expect(m.value('process_resident_memory_bytes')).to.be.greaterThan(10_000_000);
    expect(m.value('nodejs_eventloop_lag_seconds')).to.be.a('number');
  });
});
