import { SpanKind } from '@opentelemetry/api';
import { expect } from 'chai';
import Redis from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { skipOrFail } from '../../test/support/availability';
import {
  kcatInstalled,
  kcatHeaders,
  readTopicWithKcat,
  startKafkaMockBroker,
  type KafkaMockBroker,
} from '../../test/support/kafka-mock-broker';
import {
  redisServerInstalled,
  startRedisServer,
  type TestRedisServer,
} from '../../test/support/redis-server';
import { startInMemoryTracing, type InMemoryTracing } from './in-memory.fixtures';
import { cloudEventTraceHeaders } from './trace-context';

/**
 * The client instrumentations on the client versions Strata pins (ioredis 6, kafkajs 2.2.4),
 * against real servers, with the clients imported before tracing started as in main.ts.
 */
describe('tracing: spans of the Redis and Kafka clients', function () {
  this.timeout(30_000);
  let harness: InMemoryTracing | null = null;
  afterEach(async () => {
    await harness?.stop();
    harness = null;
  });

  describe('ioredis', () => {
    let server: TestRedisServer | undefined;
    before(async function () {
      if (!redisServerInstalled()) skipOrFail(this, 'redis-server is not installed', true);
      server = await startRedisServer();
    });
    after(async () => server?.close());

    it('makes a client span per command inside a traced request, and none outside one', async () => {
      harness = startInMemoryTracing('query-api');
      const redis = new Redis(server!.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
      try {
        await redis.connect();
        await redis.set('untraced', '1');
        const traceId = await harness.tracing.inSpan('GET /products/:id', async (span) => {
          await redis.get('strata:query:product:1');
          return span.spanContext().traceId;
        });
        const commands = harness.trace(traceId).filter((s) => s.kind === SpanKind.CLIENT);
        expect(commands.map((s) => s.name)).to.deep.equal(['get']);
        expect(harness.spans().map((s) => s.name)).not.to.include('set');
      } finally {
        redis.disconnect();
      }
    });
  });

  describe('kafkajs', () => {
    let broker: KafkaMockBroker | undefined;
    before(async function () {
      if (!kcatInstalled()) skipOrFail(this, 'kcat is not installed (the Kafka mock broker)', true);
      broker = await startKafkaMockBroker();
    });
    after(async () => broker?.stop());

    it('makes a send span per message, parented by the active span, carrying both trace headers', async () => {
      harness = startInMemoryTracing('projections');
      const kafka = new Kafka({ brokers: broker!.brokers, logLevel: logLevel.NOTHING });
      const producer = kafka.producer({ allowAutoTopicCreation: true });
      await producer.connect();
      const topic = 'strata.tracing.test';
      const { tracing } = harness;
      try {
        // The event was appended in a checkout's trace; the mirror's batch runs in its own.
        const checkout = tracing.inSpan('POST /orders', () => tracing.currentTraceContext());
        const batchTrace = await tracing.linkedTo(
          'kafka-mirror batch',
          [checkout],
          async (span) => {
            await producer.send({
              topic,
              messages: [
                { key: 'order-1', value: '{}', headers: { ...cloudEventTraceHeaders(checkout) } },
              ],
            });
            return span.spanContext().traceId;
          },
        );
        const send = harness.trace(batchTrace).find((s) => s.kind === SpanKind.PRODUCER)!;
        expect(send.name).to.equal(`send ${topic}`);
        const [record] = await readTopicWithKcat(broker!.brokers, topic);
        const headers = kcatHeaders(record!);
        expect(headers.ce_traceparent).to.equal(checkout.traceparent);
        expect(headers.traceparent).to.equal(`00-${batchTrace}-${send.spanContext().spanId}-01`);
      } finally {
        await producer.disconnect();
      }
    });
  });
});
