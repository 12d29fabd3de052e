import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { StoreError, StrataError } from '../../errors';
import { declarationsByName } from '../declaration';
import { prepareOperations } from '../prepare-operations';
import type { IndexDeclaration, SearchIndex } from '../port';
import { prepareQuery } from '../query';
import { targetCatalog } from './catalog';
import { META_DDL } from './schema';
import { targetSearcher } from './searcher';
import { dropVocabularies } from './text-matches';
import { targetWriter, type TargetWriter } from './writer';

export interface SqliteSearchIndexOptions {
  /** The database file, for example `<dataDir>/search.db`. */
  file: string;
  declarations: readonly IndexDeclaration[];
  /** Page cache in MiB (default 64); memory-mapped reads get four times as much. */
  cacheMb?: number;
}

/**
 * The embedded SearchIndex: SQLite FTS5 in its own file. better-sqlite3 is synchronous, so every
 * method does its work at once; the promises only keep the port's shape.
 */
export function openSqliteSearchIndex(options: SqliteSearchIndexOptions): SearchIndex {
  const declarations = declarationsByName(options.declarations);
  const db = openDatabase(options.file, options.cacheMb ?? 64);
  const fail = (error: unknown): never => {
    if (error instanceof StrataError) throw error;
    throw new StoreError(`search index ${options.file}: ${(error as Error).message}`, {
      cause: error,
    });
  };
  const guarded =
    <A extends unknown[], R>(work: (...args: A) => R) =>
    async (...args: A): Promise<R> => {
      try {
        return work(...args);
      } catch (error) {
        return fail(error);
      }
    };

  const catalog = targetCatalog(db, declarations);
  const writers = new Map<string, TargetWriter>();
  const searchers = new Map<string, ReturnType<typeof targetSearcher>>();

  return {
    createTarget: guarded(catalog.createTarget),
    swapAlias: guarded(catalog.swapAlias),
    rollback: guarded(catalog.rollback),
    aliasState: guarded(catalog.aliasState),
    dropTarget: guarded((target: string) => {
      catalog.dropTarget(target);
      writers.delete(target);
      searchers.delete(target);
      dropVocabularies(db, target);
    }),
    bulk: guarded((name, ops) => {
      const { target, declaration } = catalog.resolve(name);
      const prepared = prepareOperations(declaration, ops);
      let writer = writers.get(target);
      if (!writer) {
        writer = targetWriter(db, target, declaration);
        writers.set(target, writer);
      }
      return writer.apply(prepared);
    }),
    search: guarded((indexName, query) => {
      const { target, declaration } = catalog.resolve(indexName);
      const prepared = prepareQuery(declaration, query);
      let searcher = searchers.get(target);
      if (!searcher) {
        // Only the live target is searched: the columns of the one it replaced can go.
        searchers.clear();
        searcher = targetSearcher(db, target, declaration);
        searchers.set(target, searcher);
      }
      return searcher(prepared);
    }),
    // A committed write is visible at once.
    refresh: guarded(() => undefined),
    ping: guarded(() => {
      db.prepare('SELECT 1').get();
    }),
    close: guarded(() => {
      if (db.open) db.close();
    }),
  };
}

function openDatabase(file: string, cacheMb: number): Database.Database {
  try {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    // A rebuild can be replayed from the log, so losing the last commits on power loss is fine.
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    // Searches read every posting of their words: keep the FTS5 tables in memory.
    db.pragma(`cache_size = ${-cacheMb * 1024}`);
    db.pragma(`mmap_size = ${cacheMb * 4 * 1024 * 1024}`);
    db.pragma('temp_store = MEMORY');
    db.exec(META_DDL);
    return db;
  } catch (error) {
    throw new StoreError(`cannot open search index ${file}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
