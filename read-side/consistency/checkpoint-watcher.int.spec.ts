import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { openLruCache } from '../../shared-kernel/cache/lru-cache';
import type { DocumentStore } from '../../shared-kernel/document-store/port';
import { openSqliteDocumentStore } from '../../shared-kernel/document-store/sqlite/sqlite-document-store';
import { createLogger } from '../../shared-kernel/logging/logger';
import { queryCacheCounters } from '../../shared-kernel/metrics/cache-metrics';
import { createMetricsRegistry } from '../../shared-kernel/metrics/registry';
import { createQueryCache } from '../cache/query-cache';
import { startCheckpointWatcher, type CheckpointWatcher } from './checkpoint-watcher';

const logger = createLogger({
  service: 'test',
  level: 'error',
  format: 'json',
  stream: new PassThrough(),
});
const AT = '0000000000000005';

/**
 * A rebuild's swap or a rollback can put a target live at the very position the old one was
 * at, with other documents (the point of rebuilding with new code). Answers cached by position
 * alone would then keep serving the old target's documents.
 */
describe('checkpoint watcher: the live targets generation keys the query cache (SQLite)', () => {
  let dir: string;
  let store: DocumentStore;
  let watcher: CheckpointWatcher;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'strata-watcher-'));
    store = openSqliteDocumentStore({ file: path.join(dir, 'read-models.db') });
    await store.ensureCollection({ name: 'things', indexes: [] });
    await store.commitBatch({
      writes: [{ collection: 'things', id: 'a', doc: { colour: 'red' } }],
      checkpoint: { processor: 'things', position: AT },
    });
    watcher = await startCheckpointWatcher({ store, logger, collections: ['things'] });
  });
  after(async () => {
    watcher.stop();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('changes the generation on a swap and a rollback at the same position, and not otherwise', async () => {
    const cache = createQueryCache({
      cache: openLruCache(),
      ttlMs: 60_000,
      logger,
      counters: queryCacheCounters(createMetricsRegistry()),
      generation: watcher.generation,
    });
    const colour = async () => {
      const answer = await cache.through('things/a', watcher.current('things'), async () => {
        const doc = await store.get<{ colour: string }>('things', 'a');
        return doc?.colour ?? null;
      });
      return answer && (JSON.parse(answer.text) as string);
    };
    const first = watcher.generation();
    expect(first).to.match(/^[0-9a-f]{16}$/);
    expect(await colour()).to.equal('red');

    const rebuilt = await store.createTarget('things');
    await store.commitBatch({
      writes: [{ collection: 'things', id: 'a', doc: { colour: 'blue' } }],
      checkpoint: { processor: 'things', position: AT },
      target: rebuilt,
    });
    await watcher.refresh();
    expect(watcher.generation()).to.equal(first);
    await store.swap('things', rebuilt);
    await watcher.refresh();
    expect(watcher.current('things')).to.equal(AT);
    expect(watcher.generation()).to.not.equal(first);
    expect(await colour()).to.equal('blue');

    await store.rollback('things');
    await watcher.refresh();
    expect(watcher.generation()).to.equal(first);
    expect(await colour()).to.equal('red');
  });
});
