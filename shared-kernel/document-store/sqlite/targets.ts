import type Database from 'better-sqlite3';
import { ConflictError, NotFoundError } from '../../errors';
import { parseTarget } from '../names';
import type { Prepare, SqliteCatalog } from './catalog';
import { quoted } from './sql';

/**
 * Swapping and dropping targets. The live checkpoint scope is ''; a target being rebuilt keeps
 * its processors' checkpoints under its own id. A swap exchanges the two for the processors that
 * built the incoming target, so a processor restarted after the swap resumes exactly where the
 * documents it now writes to were left, and a rollback restores the pair that went out.
 */
export function swapTarget(
  catalog: SqliteCatalog,
  prepare: Prepare,
  collection: string,
  target: string,
): void {
  const current = catalog.collection(collection);
  catalog.target(collection, target);
  if (current.live === target) return;
  catalog.completeIndexes(target);
  const now = new Date().toISOString();
  const built = prepare('SELECT processor, position FROM _strata_checkpoints WHERE scope = ?').all(
    target,
  ) as Array<{
    processor: string;
    position: string;
  }>;
  const liveOf = prepare(
    `SELECT position FROM _strata_checkpoints WHERE processor = ? AND scope = ''`,
    'pluck',
  );
  const put = prepare(
    `INSERT INTO _strata_checkpoints (processor, scope, position, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (processor, scope) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at`,
  );
  const remove = prepare('DELETE FROM _strata_checkpoints WHERE processor = ? AND scope = ?');
  for (const { processor, position } of built) {
    const outgoing = liveOf.get(processor) as string | undefined;
    if (outgoing === undefined) remove.run(processor, current.live);
    else put.run(processor, current.live, outgoing, now);
    put.run(processor, '', position, now);
    remove.run(processor, target);
  }
  prepare('UPDATE _strata_collections SET live = ?, previous = ? WHERE name = ?').run(
    target,
    current.live,
    collection,
  );
}

export function rollbackTarget(catalog: SqliteCatalog, prepare: Prepare, collection: string): void {
  const { previous } = catalog.collection(collection);
  if (previous === null) {
    throw new ConflictError(
      'no-previous-target',
      `collection ${collection} has no previous target to roll back to`,
    );
  }
  swapTarget(catalog, prepare, collection, previous);
}

export function dropTarget(
  db: Database.Database,
  prepare: Prepare,
  catalog: SqliteCatalog,
  target: string,
): void {
  const { collection } = parseTarget(target);
  const current = catalog.collection(collection);
  if (current.live === target)
    throw new ConflictError('target-is-live', `target ${target} is live; swap first`);
  const dropped = prepare('DELETE FROM _strata_targets WHERE target = ?').run(target);
  if (dropped.changes === 0) throw new NotFoundError(`target ${target} does not exist`);
  prepare('DELETE FROM _strata_checkpoints WHERE scope = ?').run(target);
  if (current.previous === target) {
    prepare('UPDATE _strata_collections SET previous = NULL WHERE name = ?').run(collection);
  }
  db.exec(`DROP TABLE ${quoted(target)}`);
}
