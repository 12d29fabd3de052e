import { performance } from 'node:perf_hooks';
import type Database from 'better-sqlite3';
import type { NewEvent } from '../../shared-kernel/events/envelope';
import { cpuMicros } from '../support/measure';

/**
 * The commands' baseline: what a command costs done by hand with better-sqlite3 on Strata's
 * table and pragmas. Per command, in one transaction: read the aggregate's stream (parsing every
 * event, as loading does), then insert the one new event at the next revision. It decides
 * nothing and retries nothing; calls are synchronous, so "in flight" means one at a time.
 */
export function plainCommands(
  db: Database.Database,
  streamOf: (command: number) => string,
  events: readonly NewEvent[],
): { perSecond: number; cpuMicrosEach: number } {
  const read = db
    .prepare<[string], [number, string]>(
      'SELECT revision, data FROM events WHERE stream_id = ? ORDER BY revision',
    )
    .raw(true);
  const insert = db.prepare(
    `INSERT INTO events (stream_id, revision, event_id, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const command = db.transaction((streamId: string, event: NewEvent) => {
    let revision = -1;
    for (const [stored, data] of read.iterate(streamId)) {
      JSON.parse(data);
      revision = stored;
    }
    const [data, metadata] = [JSON.stringify(event.data), JSON.stringify(event.metadata)];
    const recordedAt = new Date().toISOString();
    insert.run(streamId, revision + 1, event.eventId, event.type, data, metadata, recordedAt);
  });
  const cpu = process.cpuUsage();
  const started = performance.now();
  events.forEach((event, i) => command(streamOf(i), event));
  const seconds = (performance.now() - started) / 1000;
  return { perSecond: events.length / seconds, cpuMicrosEach: cpuMicros(cpu) / events.length };
}
