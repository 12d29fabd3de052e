import { Writable } from 'node:stream';
import { expect } from 'chai';
import { ConfigError, UnavailableError } from '../../errors';
import { createLogger } from '../../logging/logger';
import { openBlackHole, type BlackHole } from '../../../test/support/black-hole';
import { caught, collect, newEvents } from '../contract/contract.fixtures';
import type { EventStore } from '../port';
import { openEsdbEventStore } from './esdb-event-store';

/**
 * Client 6.2.1 against a server that accepts and never answers: none of its calls returns on
 * its own (the `$all` read deadline is dropped, and the channel waits for a handshake forever).
 * Every call of the adapter must still fail, as unavailable, within its own bound.
 */
describe('EventStoreDB adapter against a black-holed port (no server needed)', function () {
  this.timeout(30_000);
  let hole: BlackHole;
  let store: EventStore;
  let url: string;
  const lines: string[] = [];
  const readTimeoutMs = 1500;
  const pingTimeoutMs = 800;

  before(async () => {
    hole = await openBlackHole();
    url = `esdb://admin:s3cret-pw@127.0.0.1:${hole.port}?tls=false`;
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = createLogger({ service: 'esdb-hole', level: 'debug', format: 'json', stream });
    store = openEsdbEventStore({ url, logger, readTimeoutMs, pingTimeoutMs });
  });
  after(async () => {
    await store?.close();
    await hole?.close();
  });

  it('ping (/readyz) fails within its timeout, and every other call within the read timeout', async () => {
    const calls: Array<[string, () => Promise<unknown>, number]> = [
      ['ping', () => store.ping(), pingTimeoutMs],
      ['headPosition', () => store.headPosition(), readTimeoutMs],
      ['readAll', () => collect(store.readAll({ maxCount: 10 })), readTimeoutMs],
      ['readStream', () => collect(store.readStream('order-1')), readTimeoutMs],
      ['append', () => store.append('order-1', newEvents(1), 'any'), readTimeoutMs],
    ];
    for (const [name, call, bound] of calls) {
      const started = Date.now();
      const error = await caught(call);
      const took = Date.now() - started;
      expect(error, name).to.be.instanceOf(UnavailableError);
      expect((error as Error).message, name).to.contain(`127.0.0.1:${hole.port}`);
      expect(took, name)
        .to.be.at.least(bound - 50)
        .and.below(bound + 2_000);
    }
    expect(hole.accepted(), 'the client did connect').to.be.greaterThan(0);
  });

  it('never shows the password of ESDB_URL, in errors or logs', async () => {
    const error = await caught(() => store.ping());
    expect((error as Error).message)
      .to.contain('***@')
      .and.not.contain('s3cret-pw');
    expect(lines.join('')).to.not.contain('s3cret-pw');
    expect(lines.join('')).to.contain('***@127.0.0.1');
  });

  it('refuses throwOnAppendFailure=false at open, naming ESDB_URL (a failed append would look stored)', () => {
    const logger = createLogger({ service: 'esdb-hole', level: 'error', format: 'json' });
    expect(() => openEsdbEventStore({ url: `${url}&throwOnAppendFailure=false`, logger })).to.throw(
      ConfigError,
      'ESDB_URL: throwOnAppendFailure=false',
    );
  });
});
