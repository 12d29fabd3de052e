import { MongoClient, type ClientSession, type Db } from 'mongodb';
import { withoutCredentials } from '../../config/redact';
import type { Position } from '../../events/envelope';
import type { Logger } from '../../logging/logger';
import { BatchTooLargeError, checkBatch } from '../batch';
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
  TargetInfo,
} from '../port';
import { planQuery, planWhere } from '../query';
import { checkExpiredFor, checkLeaseRequest, type Lease, type LeaseRequest } from '../lease';
import { writeMongoBatch } from './batch-writer';
import { MongoLeases } from './leases';
import { MongoCatalog, checkpointKey, type ResolvedTarget } from './catalog';
import { checkTransactionsSupported, mapMongoError } from './mongo-errors';
import { findPage, loadMany } from './reads';
import { forget, previousOf, swapIn } from './swap';
import { oversizedTransaction } from './transaction-size';
import { fromStored, whereFilter, type Stored } from './translate';

/** MongoDB: a collection per physical target, ids as `_id`, batches in replica-set transactions. */
export class MongoDocumentStore implements DocumentStore {
  private readonly catalog: MongoCatalog;
  private readonly leaseBook: MongoLeases;

  constructor(
    private readonly client: MongoClient,
    private readonly db: Db,
    private readonly where: string,
  ) {
    this.catalog = new MongoCatalog(db);
    this.leaseBook = new MongoLeases(db);
  }

  private async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw mapMongoError(error, this.where);
    }
  }

  private transact<T>(work: (session: ClientSession) => Promise<T>): Promise<T> {
    return this.client.withSession((session) =>
      session.withTransaction(() => work(session), {
        readConcern: { level: 'snapshot' },
        writeConcern: { w: 'majority' },
      }),
    );
  }

  private resolve(collection: string, options?: ReadOptions): Promise<ResolvedTarget> {
    return options?.target
      ? this.catalog.target(collection, options.target)
      : this.catalog.live(collection);
  }

  async ensureCollection(declaration: CollectionDeclaration): Promise<void> {
    await this.guard(() => this.catalog.ensure(declaration));
  }

  async commitBatch(batch: Batch): Promise<void> {
    const checked = checkBatch(batch);
    const oversized = oversizedTransaction(checked.writes);
    if (oversized) throw new BatchTooLargeError(`read-model batch: ${oversized}`);
    await this.guard(() =>
      this.transact((session) =>
        writeMongoBatch(this.db, this.catalog, checked, session, this.leaseBook),
      ),
    );
  }

  async get<T extends Doc = Doc>(
    collection: string,
    id: string,
    options?: ReadOptions,
  ): Promise<T | null> {
    checkId(id);
    return this.guard(async () => {
      const { target } = await this.resolve(collection, options);
      const stored = await this.db.collection<Stored>(target).findOne({ _id: id });
      return stored ? fromStored<T>(stored) : null;
    });
  }

  async getMany<T extends Doc = Doc>(
    collection: string,
    ids: readonly string[],
    options?: ReadOptions,
  ): Promise<Map<string, T>> {
    ids.forEach((id, i) => checkId(id, `ids[${i}]`));
    if (ids.length === 0) return new Map();
    return this.guard(async () => {
      const { target } = await this.resolve(collection, options);
      return loadMany<T>(this.db.collection<Stored>(target), ids);
    });
  }

  async find<T extends Doc = Doc>(collection: string, query: Query): Promise<Page<T>> {
    return this.guard(async () => {
      const resolved = await this.resolve(collection);
      const plan = planQuery(query, resolved.queryable);
      return findPage<T>(this.db.collection<Stored>(resolved.target), plan);
    });
  }

  async count(collection: string, where?: Query['where']): Promise<number> {
    return this.guard(async () => {
      const resolved = await this.resolve(collection);
      return this.db
        .collection<Stored>(resolved.target)
        .countDocuments(whereFilter(planWhere(where, resolved.queryable)));
    });
  }

  async getCheckpoint(processor: string, options?: ReadOptions): Promise<Position | null> {
    checkProcessor(processor);
    const scope = options?.target ? (parseTarget(options.target), options.target) : '';
    const doc = await this.guard(() =>
      this.catalog.checkpoints.findOne({ _id: checkpointKey(scope, processor) }),
    );
    return doc?.position ?? null;
  }

  async getCheckpoints(): Promise<Checkpoint[]> {
    const docs = await this.guard(() =>
      this.catalog.checkpoints.find({ scope: '' }).sort({ processor: 1 }).toArray(),
    );
    return docs.map(({ processor, position }) => ({ processor, position }));
  }

  async createTarget(collection: string, declaration?: CollectionDeclaration): Promise<string> {
    return this.guard(() => this.catalog.create(collection, declaration));
  }

  async swap(collection: string, target: string): Promise<void> {
    await this.guard(async () => {
      await this.catalog.completeIndexes((await this.catalog.target(collection, target)).target);
      await this.transact((session) => swapIn(this.catalog, session, collection, target));
    });
  }

  async rollback(collection: string): Promise<void> {
    await this.guard(async () => {
      const previous = await previousOf(this.catalog, collection);
      await this.transact((session) => swapIn(this.catalog, session, collection, previous));
    });
  }

  async dropTarget(target: string): Promise<void> {
    await this.guard(async () => {
      await this.transact((session) => forget(this.catalog, session, target));
      await this.catalog.dropCollection(target);
    });
  }

  async targets(collection: string): Promise<TargetInfo> {
    const alias = await this.guard(() => this.catalog.alias(collection));
    return { collection, live: alias.live, previous: alias.previous };
  }

  async listTargets(collection: string): Promise<string[]> {
    return this.guard(async () => {
      await this.catalog.alias(collection);
      const docs = await this.catalog.targets
        .find({ collection }, { projection: { _id: 1 } })
        .sort({ version: 1 })
        .toArray();
      return docs.map((doc) => doc._id);
    });
  }

  async acquireLease(request: LeaseRequest): Promise<Lease | null> {
    const checked = checkLeaseRequest(request);
    return this.guard(() => this.leaseBook.acquire(checked));
  }

  async releaseLease(name: string, owner: string): Promise<void> {
    checkProcessor(name, 'name');
    checkProcessor(owner, 'owner');
    await this.guard(() => this.leaseBook.release(name, owner));
  }

  async leases(): Promise<Lease[]> {
    return this.guard(() => this.leaseBook.list());
  }

  async dropLease(name: string, expiredForMs: number): Promise<void> {
    checkProcessor(name, 'name');
    const age = checkExpiredFor(expiredForMs);
    await this.guard(() => this.leaseBook.drop(name, age));
  }

  async ping(): Promise<void> {
    await this.guard(() => this.db.command({ ping: 1 }));
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

export interface MongoOptions {
  url: string;
  /** Defaults to the database named in the URL, else `strata`. */
  database?: string;
  logger?: Logger;
  serverSelectionTimeoutMs?: number;
}

export async function openMongoDocumentStore(options: MongoOptions): Promise<DocumentStore> {
  const { url, database, logger, serverSelectionTimeoutMs = 5000 } = options;
  const where = withoutCredentials(url); // credentials never reach a message or log
  // A timeout in the URL wins over the default here.
  const client = new MongoClient(
    url,
    /[?&]serverSelectionTimeoutMS=/i.test(url)
      ? {}
      : { serverSelectionTimeoutMS: serverSelectionTimeoutMs },
  );
  try {
    await client.connect();
    checkTransactionsSupported(await client.db('admin').command({ hello: 1 }), where);
    const named = /^mongodb(?:\+srv)?:\/\/[^/]+\/([^?]+)/.exec(url)?.[1];
    const db = client.db(database ?? named ?? 'strata');
    await db
      .collection('_strata_checkpoints')
      .createIndex({ scope: 1, processor: 1 }, { name: 'by_scope' });
    logger?.info('document store connected', { url: where, database: db.databaseName });
    return new MongoDocumentStore(client, db, where);
  } catch (error) {
    await client.close().catch(() => undefined);
    const problem = mapMongoError(error, where);
    problem.message = `${problem.message} (while opening it)`;
    throw problem;
  }
}
