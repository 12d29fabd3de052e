import { PassThrough } from 'node:stream';
import { expect } from 'chai';
import { MongoClient } from 'mongodb';
import { UnavailableError } from '../../errors';
import { createLogger } from '../../logging/logger';
import { openBlackHole, type BlackHole } from '../../../test/support/black-hole';
import { freePort } from '../../../test/support/redis-server';
import { openDocumentStore } from '../open';
import { rejectsWith } from '../contract/contract.fixtures';
import { MongoDocumentStore } from './mongo-document-store';

/** The real driver against a refused port and a port that never answers (no server needed). */
describe('MongoDB DocumentStore without a server: chosen by MONGO_URL, failing as unavailable', function () {
  this.timeout(20_000);
  let hole: BlackHole;
  const lines: string[] = [];
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) => lines.push(chunk.toString()));
  const logger = createLogger({ service: 'mongo-down', level: 'debug', format: 'json', stream });
  const dataDir = '/nonexistent-strata-data'; // never used: MONGO_URL picks MongoDB

  before(async () => {
    hole = await openBlackHole();
  });
  after(() => hole.close());

  it('openDocumentStore picks MongoDB for MONGO_URL; a refused port fails open as unavailable, credentials hidden', async () => {
    const port = await freePort();
    const mongoUrl = `mongodb://reader:s3cret-pw@127.0.0.1:${port}/strata?serverSelectionTimeoutMS=300`;
    const error = await rejectsWith(
      openDocumentStore({ mongoUrl, dataDir }, logger),
      UnavailableError,
    );
    expect(error.message)
      .to.include(`mongodb://***@127.0.0.1:${port}/strata`)
      .and.include('while opening it')
      .and.not.include('s3cret-pw');
    expect(lines.join('')).to.not.include('s3cret-pw');
  });

  it('a port that accepts and never answers fails open within the server-selection bound', async () => {
    const mongoUrl = `mongodb://127.0.0.1:${hole.port}/strata?serverSelectionTimeoutMS=500`;
    const started = Date.now();
    await rejectsWith(openDocumentStore({ mongoUrl, dataDir }, logger), UnavailableError);
    expect(Date.now() - started).to.be.below(5_000);
    expect(hole.accepted()).to.be.greaterThan(0);
  });

  it('every call to a server that went away is UnavailableError (the runner retries), never StoreError', async () => {
    const calls: Array<[string, (store: MongoDocumentStore) => Promise<unknown>]> = [
      ['ping', (store) => store.ping()],
      ['get', (store) => store.get('products', 'p1')],
      ['getCheckpoint', (store) => store.getCheckpoint('products')],
      ['ensureCollection', (store) => store.ensureCollection({ name: 'products', indexes: [] })],
      [
        'commitBatch',
        (store) =>
          store.commitBatch({
            writes: [{ collection: 'products', id: 'p1', doc: { name: 'x' } }],
            checkpoint: { processor: 'products', position: '0000000000000001' },
          }),
      ],
    ];
    for (const url of [
      `mongodb://127.0.0.1:${await freePort()}/?serverSelectionTimeoutMS=300`,
      `mongodb://127.0.0.1:${hole.port}/?serverSelectionTimeoutMS=300`,
    ]) {
      for (const [name, call] of calls) {
        // A client of its own per call: the driver closes one whose first connection failed.
        const client = new MongoClient(url);
        const store = new MongoDocumentStore(client, client.db('strata'), url);
        try {
          await rejectsWith(call(store), UnavailableError).catch((error: unknown) => {
            throw new Error(`${name} on ${url}: ${String(error)}`, { cause: error });
          });
        } finally {
          await store.close();
        }
      }
    }
  });
});
