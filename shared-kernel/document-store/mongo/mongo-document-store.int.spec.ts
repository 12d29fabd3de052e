import { MongoClient } from 'mongodb';
import { randomUUID } from 'node:crypto';
import { skipOrFail } from '../../../test/support/availability';
import { describeDocumentStoreContract } from '../contract/document-store.contract';
import { openMongoDocumentStore } from './mongo-document-store';

const url = process.env.MONGO_URL;

describe('MongoDB DocumentStore', function () {
  before(function () {
    if (!url)
      skipOrFail(
        this,
        'MONGO_URL is not set: the MongoDB DocumentStore contract suite did not run',
        false,
      );
  });

  // Each store gets a database of its own, dropped afterwards, so runs never see each other.
  describeDocumentStoreContract('MongoDB', async () => {
    const database = `strata_docs_${randomUUID().slice(0, 8)}`;
    const store = await openMongoDocumentStore({ url: url as string, database });
    return {
      store,
      dispose: async () => {
        await store.close();
        const admin = new MongoClient(url as string);
        await admin.db(database).dropDatabase();
        await admin.close();
      },
    };
  });
});
