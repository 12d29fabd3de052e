import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import type { DocumentStore } from '../../shared-kernel/document-store/port';
import { openSqliteDocumentStore } from '../../shared-kernel/document-store/sqlite/sqlite-document-store';
import { ConfigError } from '../../shared-kernel/errors';
import type { EventStore } from '../../shared-kernel/event-store/port';
import { openSqliteEventStore } from '../../shared-kernel/event-store/sqlite';
import { encodePosition } from '../../shared-kernel/event-store/sqlite/positions';
import type { RecordedEvent } from '../../shared-kernel/events/envelope';
import { createLogger } from '../../shared-kernel/logging/logger';
import { eventually } from '../../test/support/eventually';
import { newEvent } from '../../shared-kernel/event-store/contract/contract.fixtures';
import { DEAD_LETTERS } from './dead-letters';
import type { ProcessorSpec } from './processor';
import { evolveProjection } from './projection';
import { createWorker, type Worker } from '../worker';
import { checkCheckpointsBehindHead } from './checkpoint-guard';

const tick = () => newEvent('Ticked', {});

/** Counts ticks per stream; an event of a stream that is not a `tick-` aggregate poisons it. */
function counter(name: string): ProcessorSpec {
  return {
    rebuildable: true,
    projection: evolveProjection<{ count: number }>({
      name,
      collection: { name: `${name}s`, indexes: [] },
      handles: ['Ticked'],
      documentIds: (event) => [event.streamId],
      evolve(doc, event: RecordedEvent) {
        if (!event.streamId.startsWith('tick-')) throw new Error(`not a tick: ${event.streamId}`);
        return { count: (doc?.count ?? 0) + 1 };
      },
    }),
  };
}

describe('projection worker guards: foreign events, one head read, checkpoints ahead of the log', function () {
  this.timeout(30_000);
  let dir: string;
  let events: EventStore;
  let store: DocumentStore;
  let worker: Worker | undefined;
  let headReads = 0;
  const skipped: Record<string, number> = {};
  const warnings: string[] = [];
  const logStream = new PassThrough();
  logStream.on('data', (chunk: Buffer) => warnings.push(chunk.toString()));
  const logger = createLogger({
    service: 'guards',
    level: 'warn',
    format: 'json',
    stream: logStream,
  });

  const start = async (names: string[], allowCheckpointsAhead = false) => {
    const counted: EventStore = {
      ...events,
      headPosition: () => {
        headReads += 1;
        return events.headPosition();
      },
      readAll: (options) => events.readAll(options),
      subscribeToAll: (options) => events.subscribeToAll(options),
      readStream: (id, options) => events.readStream(id, options),
      append: (id, list, expected) => events.append(id, list, expected),
      ping: () => events.ping(),
      close: () => events.close(),
    };
    worker = createWorker({
      eventStore: counted,
      store,
      specs: names.map(counter),
      upcast: (event) => event,
      logger,
      streamPrefixes: ['tick-'],
      allowCheckpointsAhead,
      metrics: {
        batchCommitted: () => undefined,
        foreignEventsSkipped: (processor, count) => {
          skipped[processor] = (skipped[processor] ?? 0) + count;
        },
      },
      options: {
        maxSize: 100,
        maxWaitMs: 5,
        maxAttempts: 2,
        backoffMs: { initial: 10, max: 50 },
        maintenanceIntervalMs: 100,
      },
      leases: { workerId: 'guards-spec', ttlMs: 5_000 },
    });
    await worker.start();
    return worker;
  };

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'strata-guards-'));
    events = openSqliteEventStore({ dataDir: dir });
    store = openSqliteDocumentStore({ file: path.join(dir, 'read-models.db') });
    headReads = 0;
    warnings.length = 0;
    for (const key of Object.keys(skipped)) delete skipped[key];
  });
  afterEach(async () => {
    await worker?.stop();
    worker = undefined;
    await store.close();
    await events.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("skips and counts events of streams that are not Strata's: nothing parked, the checkpoint passes them", async () => {
    await events.append('tick-1', [tick(), tick()], 'no_stream');
    await events.append('invoice-7', [tick()], 'no_stream'); // another writer's stream
    const last = await events.append('tick-1', [tick()], 1);
    const running = await start(['ticks']);
    await eventually('the checkpoint at the head', () =>
      running.statuses().every((s) => s.checkpoint === last.position),
    );
    expect(await store.get('tickss', 'tick-1')).to.deep.equal({ count: 3 });
    expect(skipped).to.deep.equal({ ticks: 1 });
    expect(await store.count(DEAD_LETTERS.name)).to.equal(0);
  });

  it('reads the head of the log once per heartbeat for the whole worker, not once per processor', async () => {
    await events.append('tick-1', [tick()], 'no_stream');
    headReads = 0;
    const running = await start(['a', 'b', 'c', 'd', 'e', 'f']);
    const started = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const beats = (Date.now() - started) / 100;
    const reads = headReads;
    expect(running.statuses().map((s) => s.head)).to.satisfy((heads: unknown[]) =>
      heads.every((h) => h !== null),
    );
    // Unshared: 6 processors x one read per beat. Shared: about one read per beat.
    expect(reads, `${reads} head reads in ${beats.toFixed(0)} beats`).to.be.at.most(
      beats * 1.5 + 2,
    );
  });

  it('refuses to start with a checkpoint past the head of the log, unless forced (and then warns)', async () => {
    const head = await events.append('tick-1', [tick()], 'no_stream');
    await store.ensureCollection({ name: 'tickss', indexes: [] });
    await store.commitBatch({
      writes: [],
      checkpoint: { processor: 'ticks', position: encodePosition(99) },
    });
    const refused = await start(['ticks']).then(
      () => null,
      (error: unknown) => error,
    );
    expect(refused).to.be.instanceOf(ConfigError);
    expect((refused as Error).message)
      .to.contain('ticks at')
      .and.contain(head.position)
      .and.contain('--force');
    worker = undefined;
    warnings.length = 0;
    const forced = await start(['ticks'], true);
    expect(forced.statuses()).to.have.length(1);
    expect(warnings.join('')).to.contain('checkpoints ahead of the head of the log');
  });

  it('does not take a checkpoint committed by a running worker while it starts for one ahead', async () => {
    await events.append('tick-1', [tick()], 'no_stream');
    // Another worker appends and commits while this one reads the checkpoints.
    const racing = new Proxy(store, {
      get(target, name, receiver) {
        if (name !== 'getCheckpoint') return Reflect.get(target, name, receiver) as unknown;
        return async (processor: string) => {
          const { position } = await events.append('tick-1', [tick()], 'any');
          await target.commitBatch({ writes: [], checkpoint: { processor, position } });
          return target.getCheckpoint(processor);
        };
      },
    });
    await checkCheckpointsBehindHead({
      eventStore: events,
      store: racing,
      processors: ['ticks', 'tocks'],
      force: false,
      logger,
    });
    expect(warnings.join('')).not.to.contain('checkpoints ahead of the head of the log');
  });
});
