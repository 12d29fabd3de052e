import { expect } from 'chai';
import {
  MongoErrorLabel,
  MongoNetworkError,
  MongoNetworkTimeoutError,
  MongoServerError,
  MongoServerSelectionError,
} from 'mongodb';
import { ConfigError, StoreError, UnavailableError } from '../../errors';
import { checkTransactionsSupported, mapMongoError } from './mongo-errors';
import { oversizedTransaction } from './transaction-size';

const where = 'mongodb://***@db:27017/strata';

describe('MongoDB errors as typed errors', () => {
  it('calls network, server-selection, election and transient-transaction failures unavailable', () => {
    const labelled = new MongoServerError({ message: 'WriteConflict', code: 112 });
    const transient = new MongoServerError({ message: 'no such transaction', code: 251 });
    transient.addErrorLabel(MongoErrorLabel.TransientTransactionError);
    const unknownCommit = new MongoServerError({ message: 'commit?', code: 50 });
    unknownCommit.addErrorLabel(MongoErrorLabel.UnknownTransactionCommitResult);
    for (const cause of [
      new MongoNetworkError('connection reset'),
      new MongoNetworkTimeoutError('timed out'),
      new MongoServerSelectionError('Server selection timed out after 30000 ms', {} as never),
      new MongoServerError({ message: 'not primary', code: 10107 }),
      new MongoServerError({ message: 'stepped down', code: 189 }),
      new MongoServerError({ message: 'shutting down', code: 91 }),
      labelled,
      transient,
      unknownCommit,
    ]) {
      const error = mapMongoError(cause, where);
      expect(error, cause.message).to.be.instanceOf(UnavailableError);
      expect(error.message).to.contain(where);
    }
  });

  it('calls anything else (a duplicate key, a bad value) a store error', () => {
    for (const cause of [
      new MongoServerError({ message: 'E11000 duplicate key', code: 11000 }),
      new MongoServerError({ message: 'BadValue', code: 2 }),
    ]) {
      expect(mapMongoError(cause, where)).to.be.instanceOf(StoreError);
    }
  });

  it('refuses a standalone mongod at open, naming MONGO_URL; accepts a replica set or a mongos', () => {
    expect(() => checkTransactionsSupported({ isWritablePrimary: true }, where)).to.throw(
      ConfigError,
      'MONGO_URL',
    );
    checkTransactionsSupported({ setName: 'rs0' }, where);
    checkTransactionsSupported({ msg: 'isdbgrid' }, where);
  });

  it('bounds a transaction by writes and by bytes', () => {
    const write = (i: number, size: number) => ({
      collection: 'c',
      id: `d${i}`,
      doc: { text: 'x'.repeat(size) },
    });
    const limits = { writes: 10, bytes: 10_000 };
    expect(
      oversizedTransaction(
        [1, 2, 3].map((i) => write(i, 100)),
        limits,
      ),
    ).to.equal(null);
    expect(
      oversizedTransaction(
        Array.from({ length: 11 }, (_, i) => write(i, 1)),
        limits,
      ),
    ).to.contain('11 writes');
    expect(oversizedTransaction([write(1, 6_000), write(2, 6_000)], limits)).to.contain('bytes');
  });
});
