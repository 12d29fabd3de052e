import type Database from 'better-sqlite3';
import { LRUCache } from 'lru-cache';
import { StoreError, StrataError } from '../../errors';
import type { Position } from '../../events/envelope';
import { checkBatch } from '../batch';
import { checkExpiredFor, checkLeaseRequest, type Lease, type LeaseRequest } from '../lease';
import { serializeWrites, writeSqliteBatch } from './batch-writer';
import { acquireLease, dropLease, listLeases, releaseLease } from './leases';
import { encodeCursor } from '../cursor';
import { checkId, checkProcessor, parseTarget } from '../names';
import type {
  Batch,
  Checkpoint,
  CollectionDeclaration,
  Doc,
  DocumentStore,
  Page,
  Query,
  ReadOptions,
  Scalar,
  TargetInfo,
} from '../port';
import { planQuery, planWhere } from '../query';
import { SqliteCatalog, type Prepare, type ResolvedTarget } from './catalog';
import {
  DEFAULT_BUSY_TIMEOUT_MS,
  openLeaseDatabase,
  openReadModelDatabase,
  type OpenOptions,
} from './open';
import { waitingForWriteLock } from './write-lock';
import { quoted, selectSql, whereSql } from './sql';
import { dropTarget, rollbackTarget, swapTarget } from './targets';

/**
 * The embedded DocumentStore: one SQLite file, a table of JSON documents per physical target,
 * and the leases in a file of their own beside it (leasesFileOf).
 */
export class SqliteDocumentStore implements DocumentStore {
  private readonly statements = new LRUCache<string, Database.Statement>({ max: 500 });
  private readonly catalog: SqliteCatalog;
  private readonly prepare: Prepare;
  private readonly prepareLease: Prepare;

  constructor(
    private readonly db: Database.Database,
    private readonly file: string,
    private readonly leaseDb: Database.Database,
    private readonly busyTimeoutMs: number,
  ) {
    this.prepare = this.preparer(db, 'documents');
    this.prepareLease = this.preparer(leaseDb, 'leases');
    this.catalog = new SqliteCatalog(db, this.prepare);
  }

  /** Cached per mode, because pluck() and raw() switch a statement's mode for every later use. */
  private preparer(db: Database.Database, name: string): Prepare {
    return (sql, mode = 'object') => {
      const key = `${name}:${mode}:${sql}`;
      let statement = this.statements.get(key);
      if (!statement) {
        statement = db.prepare(sql);
        if (mode === 'pluck') statement.pluck();
        if (mode === 'raw') statement.raw();
        this.statements.set(key, statement);
      }
      return statement;
    };
  }

  /** Runs `work` in one transaction; storage failures become a StoreError naming the file. */
  private run<T>(work: () => T, mode: 'deferred' | 'immediate' = 'deferred', db = this.db): T {
    try {
      return db.transaction(work)[mode]();
    } catch (error) {
      if (error instanceof StrataError) throw error;
      const role = db === this.db ? 'read-model store' : 'lease store';
      throw new StoreError(`${role} ${this.file}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  /**
   * An immediate (write) transaction, on the read-model file or (`db` = the lease file) on the
   * leases: the lease file's transactions never wait on the read models' write lock.
   */
  private write<T>(work: () => T, db = this.db): Promise<T> {
    return waitingForWriteLock(db, this.busyTimeoutMs, () => this.run(work, 'immediate', db));
  }

  async ensureCollection(declaration: CollectionDeclaration): Promise<void> {
    await this.write(() => this.catalog.ensure(declaration));
  }

  async commitBatch(batch: Batch): Promise<void> {
    const checked = checkBatch(batch);
    const writes = serializeWrites(checked);
    await this.write(() =>
      writeSqliteBatch(this.catalog, this.prepare, this.prepareLease, checked, writes),
    );
  }

  private resolve(collection: string, options?: ReadOptions): ResolvedTarget {
    return options?.target
      ? this.catalog.target(collection, options.target)
      : this.catalog.live(collection);
  }

  async get<T extends Doc = Doc>(
    collection: string,
    id: string,
    options?: ReadOptions,
  ): Promise<T | null> {
    checkId(id);
    const text = this.run(() => {
      const { target } = this.resolve(collection, options);
      return this.prepare(`SELECT doc FROM ${quoted(target)} WHERE id = ?`, 'pluck').get(id) as
        string | undefined;
    });
    return text === undefined ? null : (JSON.parse(text) as T);
  }

  async getMany<T extends Doc = Doc>(
    collection: string,
    ids: readonly string[],
    options?: ReadOptions,
  ): Promise<Map<string, T>> {
    ids.forEach((id, i) => checkId(id, `ids[${i}]`));
    const found = new Map<string, T>();
    if (ids.length === 0) return found;
    // One statement whatever the number of ids: they travel as a single JSON array parameter.
    const rows = this.run(() => {
      const { target } = this.resolve(collection, options);
      return this.prepare(
        `SELECT id, doc FROM ${quoted(target)} WHERE id IN (SELECT value FROM json_each(?))`,
        'raw',
      ).all(JSON.stringify(ids)) as Array<[string, string]>;
    });
    for (const [id, doc] of rows) found.set(id, JSON.parse(doc) as T);
    return found;
  }

  async find<T extends Doc = Doc>(collection: string, query: Query): Promise<Page<T>> {
    const { plan, rows } = this.run(() => {
      const resolved = this.resolve(collection);
      const plan = planQuery(query, resolved.queryable);
      const { sql, params } = selectSql(resolved.target, plan);
      return {
        plan,
        rows: this.prepare(sql, 'raw').all(...params) as Array<[string, string, ...Scalar[]]>,
      };
    });
    const page = rows.slice(0, plan.limit);
    const last = page[page.length - 1];
    return {
      items: page.map((row) => JSON.parse(row[1]) as T),
      nextCursor:
        rows.length > plan.limit && last
          ? encodeCursor(plan.sort, last.slice(2) as Scalar[])
          : null,
    };
  }

  async count(collection: string, where?: Query['where']): Promise<number> {
    return this.run(() => {
      const resolved = this.resolve(collection);
      const filter = whereSql(planWhere(where, resolved.queryable));
      const sql = `SELECT COUNT(*) FROM ${quoted(resolved.target)} WHERE ${filter.sql}`;
      return this.prepare(sql, 'pluck').get(...filter.params) as number;
    });
  }

  async getCheckpoint(processor: string, options?: ReadOptions): Promise<Position | null> {
    checkProcessor(processor);
    const scope = options?.target ? (parseTarget(options.target), options.target) : '';
    const sql = 'SELECT position FROM _strata_checkpoints WHERE processor = ? AND scope = ?';
    return (
      (this.run(() => this.prepare(sql, 'pluck').get(processor, scope)) as string | undefined) ??
      null
    );
  }

  async getCheckpoints(): Promise<Checkpoint[]> {
    const sql = `SELECT processor, position FROM _strata_checkpoints WHERE scope = '' ORDER BY processor`;
    return this.run(() => this.prepare(sql).all() as Checkpoint[]);
  }

  async createTarget(collection: string, declaration?: CollectionDeclaration): Promise<string> {
    return this.write(() => this.catalog.create(collection, declaration));
  }

  async swap(collection: string, target: string): Promise<void> {
    // The index build may take a while; it runs in its own transaction so the swap itself stays short.
    await this.write(() =>
      this.catalog.completeIndexes(this.catalog.target(collection, target).target),
    );
    await this.write(() => swapTarget(this.catalog, this.prepare, collection, target));
  }

  async rollback(collection: string): Promise<void> {
    await this.write(() => rollbackTarget(this.catalog, this.prepare, collection));
  }

  async dropTarget(target: string): Promise<void> {
    await this.write(() => dropTarget(this.db, this.prepare, this.catalog, target));
    for (const sql of [...this.statements.keys()])
      if (sql.includes(quoted(target))) this.statements.delete(sql);
  }

  async targets(collection: string): Promise<TargetInfo> {
    return this.run(() => this.catalog.info(collection));
  }

  async listTargets(collection: string): Promise<string[]> {
    return this.run(() => {
      this.catalog.collection(collection);
      const sql = 'SELECT target FROM _strata_targets WHERE collection = ? ORDER BY version';
      return this.prepare(sql, 'pluck').all(collection) as string[];
    });
  }

  async acquireLease(request: LeaseRequest): Promise<Lease | null> {
    const checked = checkLeaseRequest(request);
    return this.write(() => acquireLease(this.prepareLease, checked, Date.now()), this.leaseDb);
  }

  async releaseLease(name: string, owner: string): Promise<void> {
    checkProcessor(name, 'name');
    checkProcessor(owner, 'owner');
    await this.write(() => releaseLease(this.prepareLease, name, owner, Date.now()), this.leaseDb);
  }

  async leases(): Promise<Lease[]> {
    return this.run(() => listLeases(this.prepareLease), 'deferred', this.leaseDb);
  }

  async dropLease(name: string, expiredForMs: number): Promise<void> {
    checkProcessor(name, 'name');
    const before = Date.now() - checkExpiredFor(expiredForMs);
    await this.write(() => dropLease(this.prepareLease, name, before), this.leaseDb);
  }

  async ping(): Promise<void> {
    this.run(() => this.prepare('SELECT 1').get());
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
    if (this.leaseDb.open) this.leaseDb.close();
  }
}

export function openSqliteDocumentStore(options: OpenOptions): DocumentStore {
  const db = openReadModelDatabase(options);
  try {
    return new SqliteDocumentStore(
      db,
      options.file,
      openLeaseDatabase(options),
      options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS,
    );
  } catch (error) {
    db.close();
    throw error;
  }
}
