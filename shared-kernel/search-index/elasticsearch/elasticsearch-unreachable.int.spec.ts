import { expect } from 'chai';
import { ConfigError, UnavailableError } from '../../errors';
import { openBlackHole, type BlackHole } from '../../../test/support/black-hole';
import { freePort } from '../../../test/support/redis-server';
import { productDeclaration, product, upsert } from '../contract/contract.fixtures';
import { openSearchIndex } from '../open';
import { readConfig } from '../../config/env';
import { createLogger } from '../../logging/logger';
import { searchIndexConfig } from '../open';
import type { SearchIndex } from '../port';

/** The real client against a refused port and a port that never answers (no server needed). */
describe('Elasticsearch SearchIndex without a server: chosen by ELASTICSEARCH_URL, failing as unavailable', function () {
  this.timeout(30_000);
  let hole: BlackHole;
  const declaration = productDeclaration('products');
  const logger = createLogger({ service: 'es-down', level: 'error', format: 'json' });
  const open = (env: Record<string, string>) =>
    openSearchIndex(
      { ...readConfig(env, searchIndexConfig), dataDir: '/nonexistent-strata-data' },
      [declaration],
      logger,
    );

  before(async () => {
    hole = await openBlackHole();
  });
  after(() => hole.close());

  const calls: Array<[string, (index: SearchIndex) => Promise<unknown>]> = [
    ['bulk', (index) => index.bulk('products', [upsert('a', 1, product())])],
    ['search', (index) => index.search('products', { q: 'lamp' })],
    ['aliasState', (index) => index.aliasState('products')],
    ['refresh', (index) => index.refresh('products')],
    ['ping', (index) => index.ping()],
  ];

  for (const kind of ['refused', 'black-holed'] as const) {
    it(`every call to a ${kind} port is UnavailableError naming the node, credentials hidden`, async () => {
      const port = kind === 'refused' ? await freePort() : hole.port;
      const index = await open({
        ELASTICSEARCH_URL: `http://elastic:s3cret-pw@127.0.0.1:${port}`,
        ELASTICSEARCH_REQUEST_TIMEOUT_MS: '400',
      });
      try {
        for (const [name, call] of calls) {
          const started = Date.now();
          const error = await call(index).then(
            () => null,
            (e: unknown) => e,
          );
          expect(error, `${name}: ${String(error)}`).to.be.instanceOf(UnavailableError);
          expect((error as Error).message, name)
            .to.contain(`http://***@127.0.0.1:${port}`)
            .and.not.contain('s3cret-pw');
          // Two attempts (one client retry) of 400 ms at most, plus slack; ping has its own 2 s.
          expect(Date.now() - started, name).to.be.below(name === 'ping' ? 4_000 : 3_000);
        }
      } finally {
        await index.close();
      }
    });
  }

  it('names the variable of a bad TLS or auth setting', async () => {
    const refusals: Array<[Record<string, string>, string]> = [
      [{ ELASTICSEARCH_CA_FILE: '/nonexistent/ca.pem' }, 'ELASTICSEARCH_CA_FILE'],
      [{ ELASTICSEARCH_REPLICAS: '-1' }, 'ELASTICSEARCH_REPLICAS'],
    ];
    for (const [env, variable] of refusals) {
      expect(() => readConfig(env, searchIndexConfig), variable).to.throw(ConfigError, variable);
    }
    const both = open({ ELASTICSEARCH_URL: 'http://a:9200', ELASTICSEARCH_CLOUD_ID: 'x:eQ==' });
    await both.then(
      () => expect.fail('both a URL and a cloud id were accepted'),
      (error: unknown) => expect(String(error)).to.contain('ELASTICSEARCH_CLOUD_ID'),
    );
    const badCloud = open({ ELASTICSEARCH_CLOUD_ID: 'not-a-cloud-id' });
    await badCloud.then(
      () => expect.fail('a malformed cloud id was accepted'),
      (error: unknown) => expect(error).to.be.instanceOf(ConfigError),
    );
    const key = readConfig({ ELASTICSEARCH_API_KEY: '' }, searchIndexConfig);
    expect(key.elasticsearchApiKey).to.equal(undefined);
  });
});
