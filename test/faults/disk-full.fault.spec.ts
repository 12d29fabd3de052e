import { expect } from 'chai';
import Database from 'better-sqlite3';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { openSqliteEventStore } from '../../shared-kernel/event-store/sqlite';
import { skipOrFail } from '../support/availability';
import { figure, stopwatch } from './support/figures';
import { postJson, statusCounts, type Answer } from './support/http';
import { embeddedEnv, startCommandApi, type HttpService } from './support/processes';
import { createProducts, type HttpProduct } from './support/shop-over-http';
import { referencesInStream } from './support/stream-facts';
import { mountSmallDisk, type SmallDisk } from './support/small-disk';

const SCENARIO = 'disk-full';

interface Receipt {
  reference: string;
  sku: string;
  phase: 'before' | 'full' | 'after';
  answer: Answer;
}

describe('fault: the data directory runs out of space under write load', function () {
  this.timeout(120_000);
  let disk: SmallDisk | undefined;
  let api: HttpService | undefined;

  before(function () {
    const mounted = mountSmallDisk(24);
    if ('unavailable' in mounted) skipOrFail(this, mounted.unavailable, false);
    disk = mounted;
  });
  after(async () => {
    await api?.stop();
    disk?.unmount();
  });

  it('commands get 503 problem+json, nothing acknowledged is lost, the store stays sound, and writes resume once there is room', async () => {
    const elapsed = stopwatch();
    api = await startCommandApi(embeddedEnv(disk!.dir));
    const products: HttpProduct[] = await createProducts(api.url, 10, 1);
    const receipts: Receipt[] = [];
    let phase: Receipt['phase'] = 'before';
    let running = true;
    const client = async (c: number) => {
      for (let i = 0; running; i++) {
        const product = products[(c + i) % products.length]!;
        const reference = `disk-c${c}-${i}-${'x'.repeat(150)}`;
        const at = phase;
        const url = `${api!.url}/inventory/${product.sku}/receipts`;
        const answer = await postJson(url, { quantity: 1, reference });
        receipts.push({ reference, sku: product.sku, phase: at, answer });
        if (answer.status !== 200) await sleep(20);
      }
    };
    const clients = Promise.all(Array.from({ length: 8 }, (_, c) => client(c)));
    await sleep(1000);
    phase = 'full';
    const filled = disk!.fill();
    const fullSince = Date.now();
    // Held at least 2 s under load. The WAL may still own room it can reuse, but the store must
    // fail once it needs more.
    while (
      Date.now() - fullSince < 20_000 &&
      (Date.now() - fullSince < 2000 || receipts.filter((r) => r.answer.status === 503).length < 50)
    ) {
      await sleep(100);
    }
    const fullForMs = Date.now() - fullSince;
    disk!.free();
    phase = 'after';
    const freedAt = receipts.length;
    await sleep(2000);
    running = false;
    await clients;
    await api.stop();
    api = undefined;

    const of = (p: Receipt['phase']) => receipts.filter((r) => r.phase === p);
    const store = openSqliteEventStore({ dataDir: disk!.dir });
    const stored = new Map<string, number>();
    try {
      for (const product of products) {
        const { references } = await referencesInStream(store, `stock-${product.sku}`, {
          StockReceived: (d) => d.reference,
        });
        for (const [reference, n] of references) stored.set(reference, n);
      }
    } finally {
      await store.close();
    }
    const acked = receipts.filter((r) => r.answer.status === 200);
    const lost = acked.filter((r) => stored.get(r.reference) !== 1);
    const refused = receipts.filter((r) => r.answer.status === 503);
    const storedThoughRefused = refused.filter((r) => stored.has(r.reference));
    const db = new Database(path.join(disk!.dir, 'events.db'), { readonly: true });
    const integrity = db.pragma('integrity_check', { simple: true });
    db.close();
    const recovered = receipts.slice(freedAt).filter((r) => r.answer.status === 200).length;

    figure(SCENARIO, 'filler written to fill the disk', (filled / 1024 / 1024).toFixed(1), 'MiB');
    for (const p of ['before', 'full', 'after'] as const)
      figure(SCENARIO, `answers ${p}`, JSON.stringify(statusCounts(of(p).map((r) => r.answer))));
    figure(SCENARIO, 'disk held full for', fullForMs, 'ms');
    figure(SCENARIO, 'acknowledged, lost', `${acked.length}, ${lost.length}`);
    figure(SCENARIO, 'refused with 503 but stored', storedThoughRefused.length);
    figure(SCENARIO, 'integrity_check', String(integrity));
    figure(SCENARIO, 'acknowledged after room came back', recovered);
    figure(SCENARIO, 'runtime', elapsed(), 's');

    const unexpected = receipts.filter((r) => r.answer.status !== 200 && r.answer.status !== 503);
    expect(unexpected.map((r) => `${r.phase} ${r.answer.status} ${r.answer.raw}`)).to.deep.equal(
      [],
    );
    expect(refused.length, 'a full disk is reported as 503').to.be.greaterThan(0);
    for (const r of refused) {
      expect(r.answer.contentType).to.contain('application/problem+json');
      expect(Number(r.answer.retryAfter)).to.be.greaterThan(0);
    }
    expect(lost.map((r) => r.reference)).to.deep.equal([]);
    expect(storedThoughRefused.map((r) => r.reference)).to.deep.equal([]);
    expect(integrity).to.equal('ok');
    expect(recovered, 'writes resume once the disk has room').to.be.greaterThan(0);
  });
});
