import { expect } from 'chai';
import { MongoClient } from 'mongodb';
import { setTimeout as sleep } from 'node:timers/promises';
import { readConfig } from '../../shared-kernel/config/env';
import { MongoDocumentStore } from '../../shared-kernel/document-store/mongo/mongo-document-store';
import { StrataError, type UnavailableError } from '../../shared-kernel/errors';
import { withoutCredentials } from '../../shared-kernel/config/redact';
import { createLogger } from '../../shared-kernel/logging/logger';
import { parseExposition } from '../../shared-kernel/metrics/scrape.fixtures';
import { wireProcess } from '../../shared-kernel/process-wiring';
import { isCircuitOpen } from '../../shared-kernel/resilience/circuit-breaker';
import { queryApiConfig } from '../../read-side/config';
import { openBlackHole, type BlackHole } from '../support/black-hole';
import { freePort } from '../support/redis-server';

const OPEN_MS = 1_000;

/**
 * The document-store breaker with the real MongoDB driver against a refused and a black-holed
 * port. A process cannot open MongoDB without a server (start-up stops, as
 * `mongo-unreachable.int.spec.ts` shows), so this goes through the composition roots' one
 * wiring (`wireProcess`, from the query API's own configuration) rather than a whole process;
 * the 503 problem+json an open breaker becomes is the same UnavailableError the
 * `remote-breakers` spec sees rendered.
 */
describe('document-store circuit breaker with the MongoDB driver (no server needed)', function () {
  this.timeout(30_000);
  let hole: BlackHole;
  before(async () => {
    hole = await openBlackHole();
  });
  after(() => hole.close());

  for (const kind of ['refused', 'black-holed'] as const) {
    it(`MONGO_URL ${kind}: opens after 2 failures, then fails fast naming only the dependency, and retries on schedule`, async () => {
      const port = kind === 'refused' ? await freePort() : hole.port;
      const mongoUrl = `mongodb://reader:s3cret-pw@127.0.0.1:${port}/strata?serverSelectionTimeoutMS=300`;
      const config = readConfig(
        {
          MONGO_URL: mongoUrl,
          STRATA_BREAKER_FAILURES: '2',
          STRATA_BREAKER_OPEN_MS: String(OPEN_MS),
        },
        queryApiConfig,
      );
      const logger = createLogger({ service: 'mongo-breaker', level: 'error', format: 'json' });
      const wiring = wireProcess(config, { service: 'query-api', logger });
      const client = new MongoClient(mongoUrl);
      const store = wiring.documentStore(
        new MongoDocumentStore(client, client.db('strata'), withoutCredentials(mongoUrl)),
      );
      const gauge = async () =>
        parseExposition(await wiring.metrics.metrics()).value('strata_circuit_breaker_state', {
          dependency: 'document-store',
        });
      const failure = (call: () => Promise<unknown>) =>
        call().then(
          () => expect.fail('answered without a server'),
          (error: unknown) => error,
        );
      try {
        for (let i = 0; i < 2; i++) {
          const error = await failure(() => store.get('products', 'p1'));
          // The driver closes a client whose first connection failed ("Topology is closed", a
          // StoreError): a 503 that counts against the breaker all the same.
          expect(error, String(error)).to.be.instanceOf(StrataError);
          expect((error as StrataError).status).to.equal(503);
          expect(isCircuitOpen(error)).to.equal(false);
        }
        expect(await gauge()).to.equal(2);
        const started = Date.now();
        const fast = (await failure(() => store.get('products', 'p1'))) as UnavailableError;
        expect(Date.now() - started, 'failed fast (ms)').to.be.below(200);
        expect(isCircuitOpen(fast)).to.equal(true);
        expect(fast.message).to.equal('document-store is unavailable: its circuit breaker is open');
        expect(fast.retryAfterSeconds).to.equal(1);
        const detail = wiring.breakers.detail()['document-store'];
        expect(detail?.state).to.equal('open');
        expect(detail?.lastFailure).to.be.a('string').and.not.contain('s3cret-pw');
        if (kind === 'black-holed') expect(hole.accepted()).to.be.greaterThan(0);

        await sleep(OPEN_MS + 100);
        expect(await gauge(), 'half-open once the open time is over').to.equal(1);
        const trial = await failure(() => store.ping());
        expect(isCircuitOpen(trial), 'the trial reached the driver').to.equal(false);
        expect(wiring.breakers.detail()['document-store']?.state).to.equal('open');
        expect(await gauge()).to.equal(2);
      } finally {
        await store.close();
        await wiring.shutdown();
      }
    });
  }
});
