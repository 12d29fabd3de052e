import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DocumentStore } from '../../shared-kernel/document-store/port';
import { openSqliteDocumentStore } from '../../shared-kernel/document-store/sqlite/sqlite-document-store';
import {
  openSqliteEventStore,
  type SqliteEventStore,
} from '../../shared-kernel/event-store/sqlite';
import { createLogger } from '../../shared-kernel/logging/logger';
import { eventually } from '../../test/support/eventually';
import { createWorker, type Worker } from '../worker';
import { DEAD_LETTERS } from './dead-letters';
import { countingProjection, tick, type Counter } from './engine.fixtures';
import { createOwnership, type Ownership } from './ownership';
import type { ProcessorSpec } from './processor';
import { createRunner, type RunnerOptions } from './runner';

const OPTIONS: RunnerOptions = {
  maxSize: 50,
  maxWaitMs: 2,
  maxAttempts: 2,
  backoffMs: { initial: 5, max: 20 },
  maintenanceIntervalMs: 50,
};
const PROCESSORS = ['count-a', 'count-b', 'count-c', 'count-d', 'count-e'];
const quiet = createLogger({
  service: 't',
  level: 'error',
  format: 'json',
  stream: new PassThrough(),
});

describe('several workers on one store: leases, balance, fencing (SQLite)', function () {
  this.timeout(60_000);
  let dir: string;
  let events: SqliteEventStore;
  const stores: DocumentStore[] = [];
  // Each worker has its own connection to the file, as separate processes would.
  const openStore = () => {
    const store = openSqliteDocumentStore({ file: path.join(dir, 'read-models.db') });
    stores.push(store);
    return store;
  };

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'strata-owners-'));
    events = openSqliteEventStore({ dataDir: dir });
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
    await events.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('workers', () => {
    const workers = new Map<string, Worker>();
    afterEach(async () => {
      await Promise.all([...workers.values()].map((worker) => worker.stop()));
      workers.clear();
    });
    const startWorker = async (id: string) => {
      const worker = createWorker({
        eventStore: events,
        store: openStore(),
        specs: PROCESSORS.map((name) => ({
          projection: countingProjection(new Set(), name),
          rebuildable: true,
        })),
        upcast: (e) => e,
        logger: quiet,
        options: OPTIONS,
        leases: { workerId: id, ttlMs: 400 },
      });
      await worker.start();
      workers.set(id, worker);
    };
    /** Processor -> the workers running it; each must be one, and counts differ by one at most. */
    const runningBy = () => {
      const owners = new Map<string, string[]>();
      for (const [id, worker] of workers) {
        for (const status of worker.statuses()) {
          if (status.state === 'standby') continue;
          owners.set(status.name, [...(owners.get(status.name) ?? []), id]);
        }
      }
      return owners;
    };
    const balanced = (ids: string[]) => () => {
      const owners = runningBy();
      if (!PROCESSORS.every((name) => owners.get(name)?.length === 1)) return false;
      const counts = ids.map((id) => [...owners.values()].filter((o) => o[0] === id).length);
      return Math.max(...counts) - Math.min(...counts) <= 1;
    };
    const describeOwners = () => JSON.stringify(Object.fromEntries(runningBy()));

    it('runs each processor on one worker, balanced, moves work back on join and away on stop, applying every event once', async () => {
      const writing = (async () => {
        for (let i = 0; i < 300; i++) {
          await events.append(`s-${i % 10}`, [tick()], 'any');
          if (i % 20 === 0) await sleep(20);
        }
      })();
      // A member killed long ago: its lease is forgotten after ten lease times (4 s here).
      await openStore().acquireLease({ name: 'member:ghost', owner: 'ghost', ttlMs: 1 });
      await startWorker('w1');
      await eventually('w1 to run every processor', balanced(['w1']), { describe: describeOwners });
      await startWorker('w2');
      await startWorker('w3');
      await eventually('5 processors over 3 workers, 2/2/1', balanced(['w1', 'w2', 'w3']), {
        describe: describeOwners,
      });
      await workers.get('w2')!.stop();
      workers.delete('w2');
      const names = (await stores[0]!.leases()).map((lease) => lease.name);
      expect(names, 'a stopped worker leaves no member lease').not.to.include('member:w2');
      await eventually('w2 stopped: its processors taken at once', balanced(['w1', 'w3']), {
        timeoutMs: 2_000,
        describe: describeOwners,
      });
      await startWorker('w4');
      await eventually('w4 joined: 2/2/1 again', balanced(['w1', 'w3', 'w4']), {
        describe: describeOwners,
      });
      await writing;
      const head = await events.headPosition();
      await eventually(
        'every processor at the head',
        () =>
          [...runningBy().keys()].length === 5 &&
          [...workers.values()].every((w) => w.statuses().every((s) => s.checkpoint === head)),
        { describe: describeOwners },
      );
      const store = stores[0] as DocumentStore;
      for (const name of PROCESSORS) {
        const counters = await store.find<Counter>(name.replace(/-/g, '_'), { limit: 100 });
        expect(
          counters.items.map((c) => c.count),
          name,
        ).to.deep.equal(Array(10).fill(30));
      }
      await eventually(
        'the long-dead member forgotten',
        async () => (await store.leases()).every((lease) => lease.name !== 'member:ghost'),
        { timeoutMs: 10_000 },
      );
      const leases = await store.leases();
      const tokens = leases.filter((l) => PROCESSORS.includes(l.name)).map((l) => l.token);
      expect(Math.max(...tokens), 'some processor changed owner').to.be.greaterThan(1);
      for (const status of workers.get('w1')!.statuses()) {
        expect(status.lease, status.name).to.include.keys('owner', 'token', 'ageSeconds');
      }
    });
  });

  describe('fencing', () => {
    const owners: Ownership[] = [];
    afterEach(async () => {
      await Promise.all(owners.splice(0).map((o) => o.releaseAll()));
    });
    let fenced = 0;
    let effects = 0;
    beforeEach(() => {
      fenced = 0;
      effects = 0;
    });

    /** An owner whose heartbeat the spec drives by hand: not ticking is being paused. */
    const owner = async (id: string, spec: ProcessorSpec, ttlMs: number) => {
      const store = openStore();
      for (const collection of [DEAD_LETTERS, ...spec.projection.collections]) {
        await store.ensureCollection(collection);
      }
      const ownership = createOwnership({
        store,
        workerId: id,
        leaseTtlMs: ttlMs,
        processors: [spec.projection.name],
        logger: quiet,
        runnerFor: (_name, fence) =>
          createRunner({
            eventStore: events,
            store,
            spec,
            upcast: (e) => e,
            logger: quiet,
            options: { ...OPTIONS, maintenanceIntervalMs: 60_000 },
            ownership: fence,
            metrics: { batchCommitted() {}, commitFenced: () => fenced++ },
          }),
      });
      owners.push(ownership);
      return ownership;
    };
    const gated = () => {
      let open!: () => void;
      let entered!: () => void;
      const gate = new Promise<void>((resolve) => (open = resolve));
      const inside = new Promise<void>((resolve) => (entered = resolve));
      const spec: ProcessorSpec = {
        projection: countingProjection(new Set(), 'fenced'),
        rebuildable: false,
        async effect() {
          effects++;
          entered();
          await gate;
        },
      };
      return { spec, open, inside };
    };

    it('refuses the commit of an owner paused mid-batch past its lease, though its checkpoint did not move', async () => {
      for (let i = 0; i < 10; i++) await events.append('s-1', [tick()], 'any');
      const first = gated();
      const a = await owner('a', first.spec, 200);
      await a.tick();
      await first.inside; // a is inside its batch's effect, and stops renewing: paused
      await sleep(300);
      const second = gated();
      const b = await owner('b', second.spec, 5_000);
      await b.tick();
      expect(b.held.get('fenced')?.lease.token).to.equal(2);
      await second.inside; // b has read the same batch from the same checkpoint
      first.open();
      await eventually('a to find its lease lost', () => fenced === 1);
      const store = stores[0] as DocumentStore;
      expect(await store.getCheckpoint('fenced'), 'a committed nothing').to.equal(null);
      expect(a.held.has('fenced')).to.equal(false);
      second.open();
      const head = await events.headPosition();
      await eventually('b to commit', async () => (await store.getCheckpoint('fenced')) === head);
      expect((await store.get<Counter>('fenced', 's-1'))?.count).to.equal(10);
    });

    it('runs no effect once its lease may have run out unrenewed, so a paused owner publishes nothing', async () => {
      const { spec, open } = gated();
      open();
      const a = await owner('a', spec, 150);
      await a.tick();
      await sleep(250); // no renewal: the lease may be gone
      for (let i = 0; i < 5; i++) await events.append('s-1', [tick()], 'any');
      await eventually('a to give the processor up', () => !a.held.has('fenced'));
      expect(effects).to.equal(0);
      expect(await (stores[0] as DocumentStore).getCheckpoint('fenced')).to.equal(null);
      await a.tick(); // still nobody else's: it takes it back with the same token and goes on
      await eventually('a to run it again', () => effects > 0);
      expect(a.held.get('fenced')?.lease.token).to.equal(1);
    });
  });
});
