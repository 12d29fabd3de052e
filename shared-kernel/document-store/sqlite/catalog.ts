import type Database from 'better-sqlite3';
import { ConflictError, NotFoundError } from '../../errors';
import { checkDeclaration, queryableFields } from '../declaration';
import { checkCollectionName, parseTarget, targetName } from '../names';
import type { CollectionDeclaration, TargetInfo } from '../port';
import { createIndexSql, createTableSql, quoted } from './sql';

export type Prepare = (sql: string, mode?: 'object' | 'pluck' | 'raw') => Database.Statement;

export interface ResolvedTarget {
  target: string;
  queryable: ReadonlySet<string>;
}

interface CollectionRow {
  live: string;
  previous: string | null;
  next_version: number;
}

/**
 * The mapping from a logical collection to its physical targets. Callers run these inside their
 * own transaction, so a reader resolves the target and reads it in one snapshot.
 */
export class SqliteCatalog {
  /** Parsed declarations by their stored text: re-read every time, parsed once. */
  private readonly queryable = new Map<string, ReadonlySet<string>>();

  constructor(
    private readonly db: Database.Database,
    private readonly prepare: Prepare,
  ) {}

  live(collection: string): ResolvedTarget {
    const row = this.prepare(
      `SELECT t.target, t.declaration FROM _strata_collections c
       JOIN _strata_targets t ON t.target = c.live WHERE c.name = ?`,
    ).get(checkCollectionName(collection)) as { target: string; declaration: string } | undefined;
    if (!row)
      throw new NotFoundError(`collection ${collection} is not declared (ensureCollection first)`);
    return this.resolved(row.target, row.declaration);
  }

  /** A target addressed directly: it must belong to `collection`. */
  target(collection: string, target: string): ResolvedTarget {
    if (parseTarget(target).collection !== checkCollectionName(collection)) {
      throw new ConflictError(
        'target-of-other-collection',
        `target ${target} does not hold ${collection}`,
      );
    }
    const row = this.prepare('SELECT declaration FROM _strata_targets WHERE target = ?').get(
      target,
    ) as { declaration: string } | undefined;
    if (!row) throw new NotFoundError(`target ${target} does not exist`);
    return this.resolved(target, row.declaration);
  }

  private resolved(target: string, declarationText: string): ResolvedTarget {
    let queryable = this.queryable.get(declarationText);
    if (!queryable) {
      queryable = queryableFields(JSON.parse(declarationText) as CollectionDeclaration);
      this.queryable.set(declarationText, queryable);
    }
    return { target, queryable };
  }

  collection(collection: string): CollectionRow {
    const row = this.prepare(
      'SELECT live, previous, next_version FROM _strata_collections WHERE name = ?',
    ).get(checkCollectionName(collection)) as CollectionRow | undefined;
    if (!row)
      throw new NotFoundError(`collection ${collection} is not declared (ensureCollection first)`);
    return row;
  }

  info(collection: string): TargetInfo {
    const row = this.collection(collection);
    return { collection, live: row.live, previous: row.previous };
  }

  ensure(input: CollectionDeclaration): void {
    const declaration = checkDeclaration(input);
    const row = this.prepare('SELECT live FROM _strata_collections WHERE name = ?').get(
      declaration.name,
    ) as { live: string } | undefined;
    if (!row) {
      const target = this.build(declaration, 1, true);
      this.prepare(
        'INSERT INTO _strata_collections (name, live, previous, next_version) VALUES (?, ?, NULL, 2)',
      ).run(declaration.name, target);
      return;
    }
    this.syncIndexes(row.live, declaration);
  }

  create(collection: string, input?: CollectionDeclaration): string {
    const row = this.collection(collection);
    const declaration = input ? checkDeclaration(input) : this.declarationOf(row.live);
    if (declaration.name !== collection) {
      throw new ConflictError(
        'declaration-of-other-collection',
        `declaration ${declaration.name} is not ${collection}`,
      );
    }
    this.prepare(
      'UPDATE _strata_collections SET next_version = next_version + 1 WHERE name = ?',
    ).run(collection);
    return this.build(declaration, row.next_version, false);
  }

  /**
   * A rebuild target starts without its secondary indexes: filling a bare table is about twice
   * as fast, and building each index afterwards in one sorted pass is cheaper than maintaining
   * it row by row. `completeIndexes` builds them before the target can go live.
   */
  private build(declaration: CollectionDeclaration, version: number, indexed: boolean): string {
    const target = targetName(declaration.name, version);
    this.db.exec(createTableSql(target));
    if (indexed) for (const sql of createIndexSql(target, declaration).values()) this.db.exec(sql);
    this.prepare(
      `INSERT INTO _strata_targets (target, collection, version, declaration, indexed, created_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
    ).run(
      target,
      declaration.name,
      version,
      JSON.stringify(declaration),
      indexed ? 1 : 0,
      new Date().toISOString(),
    );
    return target;
  }

  completeIndexes(target: string): void {
    const row = this.prepare(
      'SELECT declaration, indexed FROM _strata_targets WHERE target = ?',
    ).get(target) as { declaration: string; indexed: number } | undefined;
    if (!row || row.indexed === 1) return;
    const declaration = JSON.parse(row.declaration) as CollectionDeclaration;
    for (const sql of createIndexSql(target, declaration).values()) this.db.exec(sql);
    this.prepare('UPDATE _strata_targets SET indexed = 1 WHERE target = ?').run(target);
  }

  /** Builds newly declared indexes and drops the ones no longer declared. */
  private syncIndexes(target: string, declaration: CollectionDeclaration): void {
    const wanted = createIndexSql(target, declaration);
    const existing = this.prepare(
      `SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND name LIKE 'ix\\_%' ESCAPE '\\'`,
      'pluck',
    ).all(target) as string[];
    for (const name of existing) if (!wanted.has(name)) this.db.exec(`DROP INDEX ${quoted(name)}`);
    for (const sql of wanted.values()) this.db.exec(sql);
    this.prepare('UPDATE _strata_targets SET declaration = ? WHERE target = ?').run(
      JSON.stringify(declaration),
      target,
    );
  }

  private declarationOf(target: string): CollectionDeclaration {
    const text = this.prepare(
      'SELECT declaration FROM _strata_targets WHERE target = ?',
      'pluck',
    ).get(target);
    return JSON.parse(text as string) as CollectionDeclaration;
  }
}
