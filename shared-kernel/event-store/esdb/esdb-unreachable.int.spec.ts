import { Writable } from 'node:stream';
import { expect } from 'chai';
import { UnavailableError } from '../../errors';
import { createLogger } from '../../logging/logger';
import { caught, collect, newEvents } from '../contract/contract.fixtures';
import type { EventStore, SubscriptionMessage } from '../port';
import { freePort } from '../../../test/support/redis-server';
import { openEsdbEventStore } from './esdb-event-store';

describe('EventStoreDB adapter with the server down (no server needed)', () => {
  let store: EventStore;
  let url: string;
  const warnings: string[] = [];

  before(async () => {
    // A port that was free a moment ago: connecting is refused, as with a stopped server.
    url = `esdb://127.0.0.1:${await freePort()}?tls=false`;
    const stream = new Writable({
      write(chunk, _encoding, done) {
        warnings.push(String(chunk));
        done();
      },
    });
    const logger = createLogger({ service: 'esdb-down', level: 'warn', format: 'json', stream });
    store = openEsdbEventStore({
      url,
      logger,
      resubscribe: { initialDelayMs: 20, maxDelayMs: 40, maxConsecutiveFailures: 3 },
    });
  });
  after(() => store.close());

  it('every call fails fast with UnavailableError naming the URL', async () => {
    const calls: Array<[string, () => Promise<unknown>]> = [
      ['ping', () => store.ping()],
      ['headPosition', () => store.headPosition()],
      ['append', () => store.append('order-1', newEvents(1), 'any')],
      ['readStream', () => collect(store.readStream('order-1'))],
      ['readAll', () => collect(store.readAll())],
      ['readSnapshot', () => store.readSnapshot('order-1', 'v1')],
      [
        'writeSnapshot',
        () =>
          store.writeSnapshot('order-1', {
            revision: 0,
            position: '0000000000000001',
            version: 'v1',
            state: {},
          }),
      ],
    ];
    for (const [name, call] of calls) {
      const started = Date.now();
      const error = await caught(call);
      expect(error, name).to.be.instanceOf(UnavailableError);
      expect((error as Error).message, name).to.contain(url);
      expect(Date.now() - started, name).to.be.below(5_000);
    }
  });

  it('a subscription retries with backoff, logging each attempt, then gives up with UnavailableError', async () => {
    warnings.length = 0;
    const received: SubscriptionMessage[] = [];
    const error = await caught(async () => {
      for await (const message of store.subscribeToAll()) received.push(message);
    });
    expect(error).to.be.instanceOf(UnavailableError);
    expect((error as Error).message).to.contain('gave up after 3 retries');
    expect(received).to.deep.equal([]);
    const attempts = warnings.map(
      (line) => JSON.parse(line) as { attempt: number; delayMs: number },
    );
    // shared-kernel/backoff.ts with equal jitter: in [window/2, window), the window doubling to the cap.
    expect(attempts.map((w) => w.attempt)).to.deep.equal([1, 2, 3]);
    for (const [index, window] of [20, 40, 40].entries()) {
      expect(attempts[index]!.delayMs)
        .to.be.at.least(window / 2)
        .and.below(window);
    }
  });

  it('close() stops a subscription that is waiting to retry, without an error', async () => {
    const slow = openEsdbEventStore({
      url,
      logger: createLogger({ service: 'esdb-down', level: 'error', format: 'json' }),
      resubscribe: { initialDelayMs: 60_000 },
    });
    const subscription = slow.subscribeToAll();
    const iterating = collect(subscription);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    await slow.close();
    expect(await iterating).to.deep.equal([]);
    expect(Date.now() - started).to.be.below(1_000);
  });

  it('refuses a malformed start position before connecting', () => {
    expect(() => store.subscribeToAll({ after: 'not-a-position' })).to.throw('position');
  });
});
