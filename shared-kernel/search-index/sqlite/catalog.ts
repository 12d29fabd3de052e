import type { Database } from 'better-sqlite3';
import { ConflictError, NotFoundError, StoreError } from '../../errors';
import { parseTargetName, targetName } from '../declaration';
import type { AliasState, IndexDeclaration } from '../port';
import { randomBytes } from 'node:crypto';
import { dropTargetDdl, storedDeclaration, targetDdl } from './schema';

interface TargetRow {
  target: string;
  index_name: string;
  declaration: string;
}
interface AliasRow {
  live: string | null;
  previous: string | null;
}

/**
 * The targets of each index and where its alias points, kept in two small tables so that a
 * swap or a rollback is one transaction: readers see the old target or the new, never neither.
 */
export function targetCatalog(db: Database, declarations: Map<string, IndexDeclaration>) {
  const declarationJson = new Map(
    [...declarations].map(([name, declaration]) => [name, storedDeclaration(declaration)]),
  );
  const declared = (indexName: string): IndexDeclaration => {
    const declaration = declarations.get(indexName);
    if (!declaration) throw new NotFoundError(`search index ${indexName} is not declared`);
    return declaration;
  };
  const aliasRow = db.prepare<[string], AliasRow>(
    'SELECT live, previous FROM search_aliases WHERE index_name = ?',
  );
  const targetRow = db.prepare<[string], TargetRow>(
    'SELECT target, index_name, declaration FROM search_targets WHERE target = ?',
  );
  const setAlias = db.prepare(
    `INSERT INTO search_aliases (index_name, live, previous) VALUES (?, ?, ?)
     ON CONFLICT (index_name) DO UPDATE SET live = excluded.live, previous = excluded.previous`,
  );
  const existingTarget = (target: string): TargetRow => {
    const row = targetRow.get(target);
    if (!row) throw new NotFoundError(`search index target ${target} does not exist`);
    return row;
  };

  const createTarget = db.transaction((indexName: string): string => {
    const declaration = declared(indexName);
    const { last } = db
      .prepare<[string], { last: number | null }>(
        'SELECT max(sequence) AS last FROM search_targets WHERE index_name = ?',
      )
      .get(indexName) ?? { last: null };
    // Never reuse the sequence of a live or previous target, even after newer ones were dropped.
    const alias = aliasRow.get(indexName);
    const inUse = [alias?.live, alias?.previous].map((t) => (t ? parseTargetName(t) : null));
    const sequence = Math.max(last ?? 0, ...inUse.map((t) => t?.sequence ?? 0)) + 1;
    const target = targetName(indexName, sequence);
    db.exec(targetDdl(target, declaration));
    db.prepare(
      `INSERT INTO search_targets (target, index_name, sequence, declaration, created_at)
       VALUES (?, ?, ?, ?, ?)`,
    ).run(target, indexName, sequence, storedDeclaration(declaration), new Date().toISOString());
    // A fresh epoch tells readers that a target of a reused name is not the one they cached.
    db.prepare(
      `INSERT OR REPLACE INTO search_target_changes (target, epoch, changed, text_changed)
       VALUES (?, ?, 0, 0)`,
    ).run(target, randomBytes(8).toString('hex'));
    return target;
  });

  const swapAlias = db.transaction((indexName: string, target: string): void => {
    declared(indexName);
    if (existingTarget(target).index_name !== indexName) {
      throw new ConflictError('foreign-target', `${target} is not a target of ${indexName}`);
    }
    const current = aliasRow.get(indexName);
    if (current?.live === target) return;
    setAlias.run(indexName, target, current?.live ?? null);
  });

  const rollback = db.transaction((indexName: string): string => {
    declared(indexName);
    const current = aliasRow.get(indexName);
    if (!current?.previous) {
      throw new ConflictError('no-previous-target', `${indexName} has no previous target`);
    }
    setAlias.run(indexName, current.previous, current.live);
    return current.previous;
  });

  const dropTarget = db.transaction((target: string): void => {
    const row = existingTarget(target);
    const alias = aliasRow.get(row.index_name);
    if (alias?.live === target) {
      throw new ConflictError('live-target', `${target} is live for ${row.index_name}`);
    }
    if (alias?.previous === target) setAlias.run(row.index_name, alias.live, null);
    db.exec(dropTargetDdl(db, target));
    db.prepare('DELETE FROM search_targets WHERE target = ?').run(target);
    db.prepare('DELETE FROM search_target_changes WHERE target = ?').run(target);
  });

  const aliasState = (indexName: string): AliasState => {
    declared(indexName);
    const alias = aliasRow.get(indexName);
    const targets = db
      .prepare<[string], { target: string }>(
        'SELECT target FROM search_targets WHERE index_name = ? ORDER BY sequence',
      )
      .all(indexName)
      .map((row) => row.target);
    return { live: alias?.live ?? null, previous: alias?.previous ?? null, targets };
  };

  /** An index name means its live target; anything else must be an existing target. */
  const resolve = (name: string): { target: string; declaration: IndexDeclaration } => {
    let target = name;
    if (declarations.has(name)) {
      const live = aliasRow.get(name)?.live;
      if (!live) throw new NotFoundError(`search index ${name} has no live target yet`);
      target = live;
    }
    const row = existingTarget(target);
    const declaration = declared(row.index_name);
    if (row.declaration !== declarationJson.get(row.index_name)) {
      throw new StoreError(
        `search index target ${target} was built for another declaration or layout of ` +
          `${row.index_name}: rebuild into a new target and swap the alias`,
      );
    }
    return { target, declaration };
  };

  return { createTarget, swapAlias, rollback, dropTarget, aliasState, resolve };
}
