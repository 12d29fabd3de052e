import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { BatchTooLargeError } from '../../shared-kernel/document-store/batch';
import type { DocumentStore } from '../../shared-kernel/document-store/port';
import { openSqliteDocumentStore } from '../../shared-kernel/document-store/sqlite/sqlite-document-store';
import { encodePosition } from '../../shared-kernel/event-store/sqlite/positions';
import type { RecordedEvent } from '../../shared-kernel/events/envelope';
import { commitEvents } from './commit';
import { evolveProjection } from './projection';

const event = (n: number): RecordedEvent => ({
  eventId: `00000000-0000-7000-8000-${String(n).padStart(12, '0')}`,
  type: 'Noted',
  data: { n },
  metadata: {
    correlationId: 'c',
    causationId: null,
    actor: 't',
    occurredAt: '2026-01-01T00:00:00.000Z',
    schemaVersion: 1,
  },
  streamId: `note-${n}`,
  revision: 0,
  position: encodePosition(n),
  recordedAt: '2026-01-01T00:00:00.000Z',
});

describe('commitEvents: a batch too large for one store transaction commits in parts', () => {
  let dir: string;
  let real: DocumentStore;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'strata-parts-'));
    real = openSqliteDocumentStore({ file: path.join(dir, 'read-models.db') });
  });
  afterEach(async () => {
    await real.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('halves the events until each part fits, each part with its own checkpoint, losing none', async () => {
    const projection = evolveProjection<{ n: number }>({
      name: 'notes',
      collection: { name: 'notes', indexes: [] },
      handles: ['Noted'],
      documentIds: (e) => [e.streamId],
      evolve: (_doc, e) => ({ n: (e.data as { n: number }).n }),
    });
    await real.ensureCollection(projection.collections[0]!);
    const committed: Array<{ writes: number; checkpoint: string | undefined }> = [];
    // Like MongoDB's bound (mongo/transaction-size.ts), at 3 writes: nothing written past it.
    const bounded = Object.assign(Object.create(real) as DocumentStore, {
      commitBatch: async (batch: Parameters<DocumentStore['commitBatch']>[0]) => {
        if (batch.writes.length > 3) throw new BatchTooLargeError('too many writes');
        await real.commitBatch(batch);
        committed.push({ writes: batch.writes.length, checkpoint: batch.checkpoint?.position });
      },
    });
    const events = Array.from({ length: 10 }, (_, i) => event(i + 1));
    const spec = { projection, rebuildable: true };
    await commitEvents(
      { spec, store: bounded, upcast: (e) => e },
      { events, from: null, to: encodePosition(12) },
    );
    expect(committed.every((part) => part.writes <= 3)).to.equal(true);
    expect(committed.map((part) => part.writes).reduce((a, b) => a + b)).to.equal(10);
    expect(committed.at(-1)?.checkpoint).to.equal(encodePosition(12));
    expect(await real.getCheckpoint('notes')).to.equal(encodePosition(12));
    expect(await real.count('notes')).to.equal(10);
  });
});
