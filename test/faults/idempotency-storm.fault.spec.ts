import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSqliteEventStore } from '../../shared-kernel/event-store/sqlite';
import { backoffDelayMs, sleep, type Backoff } from '../../shared-kernel/backoff';
import { newId } from '../../shared-kernel/ids';
import { skipOrFail } from '../support/availability';
import { readStream } from '../support/fulfillment-check';
import {
  redisServerInstalled,
  startRedisServer,
  type TestRedisServer,
} from '../support/redis-server';
import { figure, knob, stopwatch } from './support/figures';
import { inParallel, postJson, statusCounts, type Answer } from './support/http';
import { embeddedEnv, startCommandApi, type HttpService } from './support/processes';

const SCENARIO = 'idempotency-storm';
/** Concurrent copies of the one request (issue 7 item 4: 1,000). */
const STORM = knob('FAULT_IDEMPOTENCY_STORM', 1000);

const productBody = (productId: string) => ({
  productId,
  sku: `STORM-${productId.slice(-12).toUpperCase()}`,
  name: 'Storm lantern',
  category: 'outdoor',
  price: { amount: 2599, currency: 'EUR' },
});

/** Events stored in the product's stream and its SKU claim: 2 when created once, 0 when never. */
async function eventsFor(dataDir: string, body: ReturnType<typeof productBody>): Promise<number> {
  const store = openSqliteEventStore({ dataDir });
  try {
    const product = await readStream(store, `product-${body.productId}`);
    const sku = await readStream(store, `sku-${body.sku}`);
    return product.length + sku.length;
  } finally {
    await store.close();
  }
}

const sameAnswer = (a: Answer, b: Answer) => a.status === b.status && a.raw === b.raw;

/** How a client spreads its retries of 409 (in progress) or a lost connection. */
const RETRY: Backoff = { initialMs: 100, maxMs: 1000, jitter: 'equal' };

/**
 * Sends the same request again, as the README tells a client, until it gets a final answer
 * (for 30 s): after a 409 in progress or a lost connection (status 0) in a moment, after a 503
 * once its Retry-After has passed.
 */
async function retriedAsTold(
  first: Answer,
  send: () => Promise<Answer>,
): Promise<Answer & { retries: number }> {
  let answer = first;
  let retries = 0;
  const giveUpAt = Date.now() + 30_000;
  while ([0, 409, 503].includes(answer.status) && Date.now() < giveUpAt) {
    retries += 1;
    const retryAfterMs = Number(answer.retryAfter ?? 1) * 1000;
    await sleep(answer.status === 503 ? retryAfterMs : backoffDelayMs(RETRY, retries));
    answer = await send();
  }
  return { ...answer, retries };
}

describe('fault: one Idempotency-Key in a storm, and the key store gone', function () {
  this.timeout(120_000);
  let redis: TestRedisServer | undefined;
  let dataDir: string;
  let api: HttpService | undefined;

  before(async function () {
    if (!redisServerInstalled()) skipOrFail(this, 'redis-server is not installed', true);
    redis = await startRedisServer();
  });
  beforeEach(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'strata-fault-idem-'));
  });
  afterEach(async () => {
    await api?.stop();
    api = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });
  after(async () => {
    await redis?.close();
  });

  for (const cache of ['embedded SQLite', 'Redis'] as const) {
    it(`${cache}: ${STORM} concurrent copies append once; every answer is the first one's`, async () => {
      const elapsed = stopwatch();
      api = await startCommandApi(
        embeddedEnv(dataDir, cache === 'Redis' ? { REDIS_URL: redis!.url } : {}),
      );
      const body = productBody(newId());
      const key = `storm-${newId()}`;
      const send = () => postJson(`${api!.url}/products`, body, { 'idempotency-key': key });
      const storm = await inParallel(STORM, STORM, send);

      // A repeat that arrives while the first still runs is told so (409) and retries, as the
      // README tells a client to (a 503 too, which a loaded machine's request timeout can give
      // even the first); what each finally gets must be the first answer again.
      const inProgress = storm.filter((a) => a.status === 409);
      const final = await Promise.all(storm.map((answer) => retriedAsTold(answer, send)));
      const retries = final.reduce((n, a) => n + a.retries, 0);
      const originals = final.filter((a) => a.status === 201 && !a.replayed);
      const reference = originals[0] ?? final.find((a) => a.status === 201);
      const differing = final.filter((a) => !reference || !sameAnswer(a, reference));
      const appended = await eventsFor(dataDir, body);

      const tag = `${cache}`;
      figure(SCENARIO, `${tag}: storm answers by status`, JSON.stringify(statusCounts(storm)));
      figure(SCENARIO, `${tag}: answered 409 in progress, then replayed`, inProgress.length);
      figure(SCENARIO, `${tag}: retries until a final answer`, retries);
      figure(SCENARIO, `${tag}: originals (not replayed)`, originals.length);
      figure(SCENARIO, `${tag}: final answers differing from the first`, differing.length);
      figure(SCENARIO, `${tag}: events appended (product + SKU claim)`, appended);
      figure(SCENARIO, `${tag}: runtime`, elapsed(), 's');

      for (const answer of inProgress) {
        expect(answer.contentType).to.contain('application/problem+json');
        expect((answer.body as { type: string }).type).to.equal('idempotency-in-progress');
      }
      expect(originals.length, 'at most one request ran the command').to.be.at.most(1);
      expect(differing.map((a) => `${a.status} ${a.raw}`)).to.deep.equal([]);
      expect(appended, 'one product event and one SKU claim').to.equal(2);
    });
  }

  it('Redis stopped: a keyed command gets 503 with Retry-After and is never run; unkeyed ones still work; back once Redis is', async () => {
    const elapsed = stopwatch();
    api = await startCommandApi(embeddedEnv(dataDir, { REDIS_URL: redis!.url }));
    const keyed = productBody(newId());
    const key = `down-${newId()}`;
    const sendKeyed = () => postJson(`${api!.url}/products`, keyed, { 'idempotency-key': key });
    expect((await postJson(`${api.url}/products`, productBody(newId()))).status).to.equal(201);

    await redis!.stop();
    const whileDown = await inParallel(50, 10, sendKeyed);
    const unkeyedBody = productBody(newId());
    const unkeyed = await postJson(`${api.url}/products`, unkeyedBody);
    const appendedWhileDown = await eventsFor(dataDir, keyed);

    await redis!.start();
    // ioredis reconnects on its own (back-off up to 1 s); the client retries as told.
    let afterRecovery: Answer | null = null;
    const recoveredBy = Date.now() + 15_000;
    while (Date.now() < recoveredBy) {
      afterRecovery = await sendKeyed();
      if (afterRecovery.status !== 503) break;
      await new Promise((resolve) =>
        setTimeout(resolve, Number(afterRecovery!.retryAfter ?? 1) * 200),
      );
    }
    const repeat = await sendKeyed();
    const appendedAfter = await eventsFor(dataDir, keyed);

    figure(
      SCENARIO,
      'Redis down: keyed answers by status',
      JSON.stringify(statusCounts(whileDown)),
    );
    figure(SCENARIO, 'Redis down: keyed events appended', appendedWhileDown);
    figure(SCENARIO, 'Redis down: unkeyed command status', unkeyed.status);
    figure(
      SCENARIO,
      'Redis back: keyed status, then repeat status',
      `${afterRecovery?.status}, ${repeat.status}`,
    );
    figure(SCENARIO, 'Redis back: keyed events appended', appendedAfter);
    figure(SCENARIO, 'Redis down/back runtime', elapsed(), 's');

    for (const answer of whileDown) {
      expect(answer.status, answer.raw).to.equal(503);
      expect(answer.contentType).to.contain('application/problem+json');
      expect(Number(answer.retryAfter), 'Retry-After in seconds').to.be.greaterThan(0);
    }
    expect(appendedWhileDown, 'nothing appended while the key could not be claimed').to.equal(0);
    expect(unkeyed.status, unkeyed.raw).to.equal(201);
    expect(await eventsFor(dataDir, unkeyedBody)).to.equal(2);
    expect(afterRecovery?.status, afterRecovery?.raw).to.equal(201);
    expect(repeat.status).to.equal(201);
    expect(repeat.replayed, 'the repeat is a replay').to.equal(true);
    expect(repeat.raw).to.equal(afterRecovery!.raw);
    expect(appendedAfter, 'created exactly once').to.equal(2);
  });
});
