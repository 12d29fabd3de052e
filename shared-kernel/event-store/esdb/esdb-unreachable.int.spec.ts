import net from 'node:net';
import { expect } from 'chai';
import { UnavailableError } from '../../errors';
import { createLogger } from '../../logging/logger';
import { collect, newEvents } from '../contract/fixtures';
import type { EventStore, SubscriptionMessage } from '../port';
import { openEsdbEventStore } from './esdb-event-store';

/** A port that was free a moment ago: connecting to it is refused, as with a stopped server. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function failure(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  return expect.fail('expected the call to fail');
}

describe('EventStoreDB adapter with the server down (no server needed)', () => {
  let store: EventStore;
  let url: string;
  const warnings: string[] = [];

  before(async () => {
    url = `esdb://127.0.0.1:${await closedPort()}?tls=false`;
    const stream = new (await import('node:stream')).Writable({
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
    ];
    for (const [name, call] of calls) {
      const started = Date.now();
      const error = await failure(call);
      expect(error, name).to.be.instanceOf(UnavailableError);
      expect((error as Error).message, name).to.contain(url);
      expect(Date.now() - started, name).to.be.below(5_000);
    }
  });

  it('a subscription retries with backoff, logging each attempt, then gives up with UnavailableError', async () => {
    warnings.length = 0;
    const received: SubscriptionMessage[] = [];
    const error = await failure(async () => {
      for await (const message of store.subscribeToAll()) received.push(message);
    });
    expect(error).to.be.instanceOf(UnavailableError);
    expect((error as Error).message).to.contain('gave up after 3 retries');
    expect(received).to.deep.equal([]);
    const attempts = warnings.map(
      (line) => JSON.parse(line) as { attempt: number; delayMs: number },
    );
    expect(attempts.map((w) => [w.attempt, w.delayMs])).to.deep.equal([
      [1, 20],
      [2, 40],
      [3, 40],
    ]);
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
