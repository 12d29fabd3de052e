import { MongoServerError, type ClientSession, type Collection, type Db } from 'mongodb';
import { ConflictError, NotFoundError } from '../../errors';
import { checkDeclaration, queryableFields } from '../declaration';
import { checkCollectionName, parseTarget, targetName } from '../names';
import type { CollectionDeclaration } from '../port';
import { indexSpecs } from './translate';

export type Transact = <T>(work: (session: ClientSession) => Promise<T>) => Promise<T>;

/** Logical collection -> live target; the live declaration is copied here so reads need one lookup. */
export interface AliasDoc {
  _id: string;
  live: string;
  previous: string | null;
  nextVersion: number;
  declaration: string;
}
interface TargetDoc {
  _id: string;
  collection: string;
  version: number;
  declaration: string;
  indexed: boolean;
  createdAt: string;
}
export interface CheckpointDoc {
  _id: string;
  processor: string;
  scope: string;
  position: string;
  updatedAt: string;
}

export const checkpointKey = (scope: string, processor: string) => `${scope}/${processor}`;

export interface ResolvedTarget {
  target: string;
  queryable: ReadonlySet<string>;
}

/** Collections, targets and their indexes in MongoDB; swaps live in mongo/swap.ts. */
export class MongoCatalog {
  private readonly queryable = new Map<string, ReadonlySet<string>>();
  readonly aliases: Collection<AliasDoc>;
  readonly targets: Collection<TargetDoc>;
  readonly checkpoints: Collection<CheckpointDoc>;

  constructor(private readonly db: Db) {
    this.aliases = db.collection<AliasDoc>('_strata_collections');
    this.targets = db.collection<TargetDoc>('_strata_targets');
    this.checkpoints = db.collection<CheckpointDoc>('_strata_checkpoints');
  }

  async alias(collection: string, session?: ClientSession): Promise<AliasDoc> {
    const alias = await this.aliases.findOne({ _id: checkCollectionName(collection) }, { session });
    if (!alias)
      throw new NotFoundError(`collection ${collection} is not declared (ensureCollection first)`);
    return alias;
  }

  async live(collection: string, session?: ClientSession): Promise<ResolvedTarget> {
    const alias = await this.alias(collection, session);
    return this.resolved(alias.live, alias.declaration);
  }

  async target(
    collection: string,
    target: string,
    session?: ClientSession,
  ): Promise<ResolvedTarget> {
    if (parseTarget(target).collection !== checkCollectionName(collection)) {
      throw new ConflictError(
        'target-of-other-collection',
        `target ${target} does not hold ${collection}`,
      );
    }
    const doc = await this.targets.findOne({ _id: target }, { session });
    if (!doc) throw new NotFoundError(`target ${target} does not exist`);
    return this.resolved(target, doc.declaration);
  }

  private resolved(target: string, declarationText: string): ResolvedTarget {
    let queryable = this.queryable.get(declarationText);
    if (!queryable) {
      queryable = queryableFields(JSON.parse(declarationText) as CollectionDeclaration);
      this.queryable.set(declarationText, queryable);
    }
    return { target, queryable };
  }

  /**
   * Every step is idempotent, so processes that start together may all run it. The wanted
   * indexes are created before the unwanted ones are dropped, so queries never meet a gap
   * without an index, and a drop another process already made (IndexNotFound) is fine.
   */
  async ensure(input: CollectionDeclaration): Promise<void> {
    const declaration = checkDeclaration(input);
    const text = JSON.stringify(declaration);
    const alias = await this.aliases.findOne({ _id: declaration.name });
    if (!alias) {
      const target = await this.build(declaration, 1, true);
      await ignoringCode(11000, () =>
        this.aliases.updateOne(
          { _id: declaration.name },
          { $setOnInsert: { live: target, previous: null, nextVersion: 2, declaration: text } },
          { upsert: true },
        ),
      ); // two first upserts at once: one inserts, the other finds it (duplicate key)
      return;
    }
    const wanted = indexSpecs(alias.live, declaration);
    await this.createIndexes(alias.live, declaration);
    const existing = await this.db.collection(alias.live).listIndexes().toArray();
    for (const { name } of existing) {
      if (String(name).startsWith('ix_') && !wanted.some((w) => w.name === name)) {
        await ignoringCode(27, () => this.db.collection(alias.live).dropIndex(String(name)));
      }
    }
    await this.targets.updateOne({ _id: alias.live }, { $set: { declaration: text } });
    await this.aliases.updateOne(
      { _id: declaration.name, live: alias.live },
      { $set: { declaration: text } },
    );
  }

  async create(collection: string, input?: CollectionDeclaration): Promise<string> {
    const declaration = input ? checkDeclaration(input) : undefined;
    if (declaration && declaration.name !== collection) {
      throw new ConflictError(
        'declaration-of-other-collection',
        `declaration ${declaration.name} is not ${collection}`,
      );
    }
    const alias = await this.aliases.findOneAndUpdate(
      { _id: checkCollectionName(collection) },
      { $inc: { nextVersion: 1 } },
      { returnDocument: 'before' },
    );
    if (!alias)
      throw new NotFoundError(`collection ${collection} is not declared (ensureCollection first)`);
    const chosen = declaration ?? (JSON.parse(alias.declaration) as CollectionDeclaration);
    return this.build(chosen, alias.nextVersion, false);
  }

  /** Rebuild targets fill without secondary indexes; they are built once, before going live. */
  private async build(
    declaration: CollectionDeclaration,
    version: number,
    indexed: boolean,
  ): Promise<string> {
    const target = targetName(declaration.name, version);
    try {
      await this.db.createCollection(target);
    } catch (error) {
      if (!(error instanceof MongoServerError && error.code === 48)) throw error; // NamespaceExists
    }
    if (indexed) await this.createIndexes(target, declaration);
    await this.targets.updateOne(
      { _id: target },
      {
        $setOnInsert: {
          collection: declaration.name,
          version,
          createdAt: new Date().toISOString(),
        },
        $set: { declaration: JSON.stringify(declaration), indexed },
      },
      { upsert: true },
    );
    return target;
  }

  async completeIndexes(target: string): Promise<void> {
    const doc = await this.targets.findOne({ _id: target });
    if (!doc || doc.indexed) return;
    await this.createIndexes(target, JSON.parse(doc.declaration) as CollectionDeclaration);
    await this.targets.updateOne({ _id: target }, { $set: { indexed: true } });
  }

  private async createIndexes(target: string, declaration: CollectionDeclaration): Promise<void> {
    const specs = indexSpecs(target, declaration);
    if (specs.length > 0) await this.db.collection(target).createIndexes(specs);
  }

  async dropCollection(target: string): Promise<void> {
    await ignoringCode(26, () => this.db.collection(target).drop()); // NamespaceNotFound
  }
}

/** Runs `work`; a server error with `code` means another process got there first: fine. */
async function ignoringCode(code: number, work: () => Promise<unknown>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (!(error instanceof MongoServerError && error.code === code)) throw error;
  }
}
