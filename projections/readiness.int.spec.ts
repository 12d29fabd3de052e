import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openSqliteDocumentStore } from '../shared-kernel/document-store/sqlite/sqlite-document-store';
import type { DocumentStore } from '../shared-kernel/document-store/port';
import { openSqliteEventStore, type SqliteEventStore } from '../shared-kernel/event-store/sqlite';
import { listen } from '../shared-kernel/http/serve';
import { createLogger } from '../shared-kernel/logging/logger';
import { PassThrough } from 'node:stream';
import { eventually } from '../test/support/eventually';
import { evolveProjection } from './engine/projection';
import { testEvent } from './engine/engine.fixtures';
import { createHealthApp } from './health-app';
import { storeIdentity } from './store-identity';
import { createWorker, type Worker } from './worker';

const HEARTBEAT_BOUND_MS = 400;

const event = testEvent;

/**
 * A processor whose effect hangs on a `Hang` event until the spec lets it go, and works for
 * `busyMs` on a `Busy` event, reporting progress every 50 ms as the saga does per command.
 */
function hangingSpec(hung: { release: () => void; entered: boolean }, busyMs: number) {
  return {
    projection: evolveProjection<{ [key: string]: number; n: number }>({
      name: 'hangs',
      collection: { name: 'hang_counts', indexes: [] },
      handles: ['Tick', 'Hang', 'Busy'],
      documentIds: (e) => [e.streamId],
      evolve: (doc) => ({ n: (doc?.n ?? 0) + 1 }),
    }),
    rebuildable: false,
    effect: async (trace: readonly { event: { type: string } }[], progress: () => void) => {
      if (trace.some((t) => t.event.type === 'Busy')) {
        for (const until = Date.now() + busyMs; Date.now() < until; progress()) {
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
      if (!trace.some((t) => t.event.type === 'Hang')) return;
      hung.entered = true;
      await new Promise<void>((resolve) => (hung.release = resolve));
    },
  };
}

describe('worker /readyz with a hung processor', function () {
  this.timeout(20_000);
  let dir: string;
  let events: SqliteEventStore;
  let documents: DocumentStore;
  let worker: Worker;
  let server: Server;
  let base: string;
  const hung = { release: () => undefined as void, entered: false };

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'strata-ready-'));
    events = openSqliteEventStore({ dataDir: dir });
    documents = openSqliteDocumentStore({ file: path.join(dir, 'read-models.db') });
    const logger = createLogger({
      service: 't',
      level: 'error',
      format: 'json',
      stream: new PassThrough(),
    });
    worker = createWorker({
      eventStore: events,
      store: documents,
      specs: [hangingSpec(hung, HEARTBEAT_BOUND_MS * 4)],
      upcast: (e) => e,
      logger,
      options: {
        maxSize: 100,
        maxWaitMs: 5,
        maxAttempts: 2,
        backoffMs: { initial: 5, max: 20 },
        maintenanceIntervalMs: 50,
      },
      leases: { workerId: 'readiness-spec', ttlMs: 5_000 },
    });
    await worker.start();
    const app = createHealthApp({
      worker,
      pings: { eventStore: () => events.ping(), documentStore: () => documents.ping() },
      bounds: { heartbeatMs: HEARTBEAT_BOUND_MS, maxLagSeconds: 30 },
      stores: storeIdentity({ dataDir: dir }),
      logger,
    });
    const listening = await listen(app, 0);
    server = listening.server;
    base = `http://127.0.0.1:${listening.port}`;
  });
  after(async () => {
    hung.release();
    await new Promise((resolve) => server.close(resolve));
    await worker.stop();
    await Promise.all([events.close(), documents.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('is ready while the processor works, and 503 naming it within the heartbeat bound once it hangs', async () => {
    await events.append('t-1', [event('Tick'), event('Tick')], 'no_stream');
    await eventually('the ticks processed', () => worker.statuses()[0]!.eventsProcessed === 2);
    // Idle for longer than the bound: an idle processor still beats, so it stays ready.
    await new Promise((resolve) => setTimeout(resolve, HEARTBEAT_BOUND_MS * 2));
    expect((await fetch(`${base}/readyz`)).status).to.equal(200);

    // One batch four times the bound, making progress: busy, not hung, so ready throughout, and
    // its status says it is behind while the work is still pending.
    await events.append('t-1', [event('Busy')], 1);
    const answers: number[] = [];
    const behind: string[] = [];
    while (worker.statuses()[0]!.eventsProcessed < 3) {
      answers.push((await fetch(`${base}/readyz`)).status);
      const status = worker.statuses()[0]!;
      if (status.lagEvents === 1 && status.lagSeconds > 0) behind.push(status.state);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(answers.length).to.be.greaterThan(10);
    expect([...new Set(answers)]).to.deep.equal([200]);
    expect(behind.length, 'status showed the pending event while busy').to.be.greaterThan(0);
    expect(behind.at(-1)).to.equal('catching-up');

    await events.append('t-1', [event('Hang')], 2);
    await eventually('the effect to hang', () => hung.entered);
    const hungAt = Date.now();
    let answer: { status: number; detail?: string } = { status: 0 };
    await eventually(
      '/readyz to turn 503',
      async () => {
        const response = await fetch(`${base}/readyz`);
        answer = { status: response.status, ...((await response.json()) as { detail?: string }) };
        return response.status === 503;
      },
      { timeoutMs: HEARTBEAT_BOUND_MS * 5, intervalMs: 20 },
    );
    // Not before the bound (a slow batch is not a hang), and not much after it.
    const tookMs = Date.now() - hungAt;
    expect(tookMs).to.be.within(HEARTBEAT_BOUND_MS - 100, HEARTBEAT_BOUND_MS + 500);
    expect(answer.detail).to.match(/^hangs: no heartbeat for \d+ ms/);

    hung.release();
    await eventually('ready again once the batch finishes', async () => {
      return (await fetch(`${base}/readyz`)).status === 200;
    });
    expect(worker.statuses()[0]!.eventsProcessed).to.equal(4);
  });
});
