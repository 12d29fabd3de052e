import { MongoServerError, type ClientSession, type Collection, type Db } from 'mongodb';
import { ConflictError } from '../../errors';
import {
  leaseLostMessage,
  leaseOf,
  type Lease,
  type LeaseFence,
  type LeaseRequest,
} from '../lease';

interface LeaseDoc {
  _id: string;
  owner: string | null;
  token: number;
  acquiredAt: Date;
  renewedAt: Date;
  expiresAt: Date;
  /** Written by every fenced commit, so a takeover racing the commit is a write conflict. */
  fencedAt?: Date;
}

const DUPLICATE_KEY = 11000;

/**
 * Leases in `_strata_leases`, one document per lease, timed by the server's clock (`$$NOW`) so
 * the workers' clocks need not agree. Taking and renewing is one findOneAndUpdate with an
 * update pipeline: it matches the lease when the caller owns it, nobody does or it expired, and
 * upserts it when it does not exist; a lease held by another owner matches nothing, and the
 * upsert's insert then fails on the `_id` (duplicate key), which means "held".
 */
export class MongoLeases {
  private readonly leases: Collection<LeaseDoc>;

  constructor(db: Db) {
    this.leases = db.collection<LeaseDoc>('_strata_leases');
  }

  async acquire({ name, owner, ttlMs }: LeaseRequest): Promise<Lease | null> {
    const sameOwner = { $eq: ['$owner', { $literal: owner }] };
    try {
      const doc = await this.leases.findOneAndUpdate(
        {
          _id: name,
          $or: [{ owner }, { owner: null }, { $expr: { $lte: ['$expiresAt', '$$NOW'] } }],
        },
        [
          {
            $set: {
              token: { $cond: [sameOwner, '$token', { $add: [{ $ifNull: ['$token', 0] }, 1] }] },
              acquiredAt: { $cond: [sameOwner, '$acquiredAt', '$$NOW'] },
              owner: { $literal: owner },
              renewedAt: '$$NOW',
              expiresAt: { $add: ['$$NOW', ttlMs] },
            },
          },
        ],
        { upsert: true, returnDocument: 'after' },
      );
      return doc ? toLease(doc) : null;
    } catch (error) {
      if (error instanceof MongoServerError && error.code === DUPLICATE_KEY) return null;
      throw error;
    }
  }

  async release(name: string, owner: string): Promise<void> {
    await this.leases.updateOne({ _id: name, owner }, [
      { $set: { owner: null, expiresAt: '$$NOW' } },
    ]);
  }

  async drop(name: string, expiredForMs: number): Promise<void> {
    await this.leases.deleteOne({
      _id: name,
      $expr: { $lte: ['$expiresAt', { $subtract: ['$$NOW', expiredForMs] }] },
    });
  }

  async list(): Promise<Lease[]> {
    const docs = await this.leases.find({}).sort({ _id: 1 }).toArray();
    return docs.map(toLease);
  }

  /**
   * Inside the batch's transaction. An update, not a read: a snapshot read would not conflict
   * with a takeover committed meanwhile, a write to the same document does.
   */
  async checkFenceHeld(fence: LeaseFence, session: ClientSession): Promise<void> {
    const { matchedCount } = await this.leases.updateOne(
      { _id: fence.name, token: fence.token, owner: { $ne: null } },
      { $set: { fencedAt: new Date() } },
      { session },
    );
    if (matchedCount === 1) return;
    const current = await this.leases.findOne({ _id: fence.name }, { session });
    const held = current === null || current.owner === null ? null : current.token;
    throw new ConflictError('lease-lost', leaseLostMessage(fence, held));
  }
}

const toLease = (doc: LeaseDoc): Lease => leaseOf({ ...doc, name: doc._id });
