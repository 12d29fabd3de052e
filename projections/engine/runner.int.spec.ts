import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openSqliteDocumentStore } from '../../shared-kernel/document-store/sqlite/sqlite-document-store';
import type { DocumentStore } from '../../shared-kernel/document-store/port';
import {
  openSqliteEventStore,
  type SqliteEventStore,
} from '../../shared-kernel/event-store/sqlite';
import { createLogger } from '../../shared-kernel/logging/logger';
import { DEAD_LETTERS } from './dead-letters';
import { loadDeadLetters, requestOnDeadLetters } from './dead-letter-store';
import { countingProjection, tick, type Counter } from './engine.fixtures';
import { rebuildProjection } from './rebuild';
import { createRunner, type ProcessorRunner } from './runner';
import { PassThrough } from 'node:stream';

async function until(
  condition: () => Promise<boolean> | boolean,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('projection runner (SQLite event store and document store)', function () {
  this.timeout(30_000);
  let dir: string;
  let events: SqliteEventStore;
  let documents: DocumentStore;
  const poisoned = new Set<string>();
  const logger = createLogger({
    service: 'test',
    level: 'error',
    format: 'json',
    stream: new PassThrough(),
  });
  const runners: ProcessorRunner[] = [];

  const startRunner = (store: DocumentStore = documents) => {
    const runner = createRunner({
      eventStore: events,
      store,
      spec: { projection: countingProjection(poisoned), rebuildable: true },
      upcast: (e) => e,
      logger,
      options: {
        maxSize: 200,
        maxWaitMs: 2,
        maxAttempts: 2,
        backoffMs: { initial: 1, max: 5 },
        maintenanceIntervalMs: 20,
      },
    });
    runners.push(runner);
    runner.start();
    return runner;
  };
  /** The counting read model rebuilt into a new target, as `strata projections rebuild` does. */
  const rebuildCounters = (options: { batchSize: number; documentsKept?: number }) =>
    rebuildProjection('counter', {
      eventStore: events,
      store: documents,
      specFor: async () => ({ projection: countingProjection(poisoned), rebuildable: true }),
      upcast: (e) => e,
      ...options,
    });
  const caughtUpTo = async (runner: ProcessorRunner) => {
    const head = await events.headPosition();
    return runner.status().checkpoint === head;
  };

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'strata-runner-'));
    events = openSqliteEventStore({ dataDir: dir });
    documents = openSqliteDocumentStore({ file: path.join(dir, 'read-models.db') });
    await documents.ensureCollection({ name: 'counters', indexes: [] });
    await documents.ensureCollection(DEAD_LETTERS);
    poisoned.clear();
  });

  afterEach(async () => {
    for (const runner of runners.splice(0)) await runner.stop();
    await events.close();
    await documents.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('catches up, turns live, and after a restart applies nothing twice', async () => {
    for (let i = 0; i < 30; i++) await events.append(`s-${i % 5}`, [tick(), tick()], 'any');
    const first = startRunner();
    await until(() => caughtUpTo(first));
    await first.stop();
    for (let i = 0; i < 10; i++) await events.append(`s-${i % 5}`, [tick()], 'any');
    const second = startRunner();
    await until(() => caughtUpTo(second));
    const counters = await documents.getMany<Counter>('counters', [
      's-0',
      's-1',
      's-2',
      's-3',
      's-4',
    ]);
    expect([...counters.values()].map((c) => c.count)).to.deep.equal([14, 14, 14, 14, 14]);
    await until(() => second.status().lagEvents === 0);
    expect(second.status()).to.include({ state: 'caught-up', lagSeconds: 0, parkedStreams: 0 });
  });

  /** The document store, counting the counters it is asked to read; `failCommits` fail first. */
  function observedStore(failCommits = 0) {
    const reads = new Map<string, number>();
    let failures = failCommits;
    const store = new Proxy(documents, {
      get(target, name, receiver) {
        if (name === 'getMany') {
          return (collection: string, ids: string[], options?: object) => {
            for (const id of ids) reads.set(id, (reads.get(id) ?? 0) + 1);
            return target.getMany(collection, ids, options);
          };
        }
        if (name === 'commitBatch' && failures > 0) {
          return async () => {
            failures -= 1;
            throw new Error('commit failed');
          };
        }
        const value: unknown = Reflect.get(target, name, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    return { store, reads };
  }

  it('keeps its documents across live batches: each is read from the store once', async () => {
    const { store, reads } = observedStore();
    const runner = startRunner(store);
    for (let i = 0; i < 12; i++) {
      await events.append('s-hot', [tick()], 'any');
      await until(() => caughtUpTo(runner));
    }
    expect(runner.status().eventsProcessed).to.equal(12);
    expect(reads.get('s-hot'), 'reads of the document').to.equal(1);
    const counter = await documents.get<Counter>('counters', 's-hot');
    expect(counter).to.include({ count: 12, lastRevision: 11 });
  });

  it('reads its documents again after a failed commit, which may have half-happened', async () => {
    for (let i = 0; i < 3; i++) await events.append('s-hot', [tick()], 'any');
    const { store, reads } = observedStore(1);
    const runner = startRunner(store);
    await until(() => caughtUpTo(runner));
    expect(reads.get('s-hot'), 'read, failed, read again').to.equal(2);
    expect(await documents.get<Counter>('counters', 's-hot')).to.include({ count: 3 });
  });

  it('goes on into a rebuilt target after the swap, losing nothing and applying nothing twice', async () => {
    for (let i = 0; i < 40; i++) await events.append(`s-${i % 4}`, [tick()], 'any');
    const runner = startRunner();
    await until(() => caughtUpTo(runner));
    const outcome = await rebuildCounters({ batchSize: 7 });
    expect(outcome.kind).to.equal('swapped');
    for (let i = 0; i < 20; i++) await events.append(`s-${i % 4}`, [tick()], 'any');
    await until(() => caughtUpTo(runner));
    const counters = await documents.getMany<Counter>('counters', ['s-0', 's-1', 's-2', 's-3']);
    expect([...counters.values()].map((c) => c.count)).to.deep.equal([15, 15, 15, 15]);
    expect((await documents.targets('counters')).live).to.equal(
      outcome.kind === 'swapped' ? outcome.target : '',
    );
  });

  it('rebuilds the same counts when it keeps fewer documents than it touches (read back from the target)', async () => {
    for (let i = 0; i < 40; i++) await events.append(`s-${i % 4}`, [tick()], 'any');
    const outcome = await rebuildCounters({ batchSize: 3, documentsKept: 2 });
    expect(outcome).to.include({ kind: 'swapped', events: 40 });
    const counters = await documents.getMany<Counter>('counters', ['s-0', 's-1', 's-2', 's-3']);
    expect([...counters.values()].map((c) => c.count)).to.deep.equal([10, 10, 10, 10]);
  });

  it('parks a poison stream, holds its later events, keeps the others flowing, and replays it on retry', async () => {
    const bad = tick();
    poisoned.add(bad.eventId);
    await events.append('healthy', [tick(), tick()], 'any');
    await events.append('sick', [tick(), bad, tick()], 'any');
    const runner = startRunner();
    await until(() => caughtUpTo(runner));
    await events.append('healthy', [tick()], 'any');
    await events.append('sick', [tick()], 'any');
    await until(() => caughtUpTo(runner));

    expect((await documents.get<Counter>('counters', 'healthy'))?.count).to.equal(3);
    expect((await documents.get<Counter>('counters', 'sick'))?.count).to.equal(1);
    const [letter] = await loadDeadLetters(documents, 'counter');
    expect(letter).to.include({ streamId: 'sick', revision: 1, eventId: bad.eventId });
    expect(letter?.error).to.contain('poisoned');
    expect(runner.status().parkedStreams).to.equal(1);

    poisoned.clear();
    expect(
      await requestOnDeadLetters(documents, 'retry', { processor: 'counter' }, new Date()),
    ).to.equal(1);
    await until(async () => (await loadDeadLetters(documents, 'counter')).length === 0);
    expect((await documents.get<Counter>('counters', 'sick'))?.count).to.equal(4);
    await events.append('sick', [tick()], 'any');
    await until(() => caughtUpTo(runner));
    expect((await documents.get<Counter>('counters', 'sick'))?.count).to.equal(5);
    expect(runner.status().parkedStreams).to.equal(0);
  });
});
