import { integrationPublisherContract } from '../contract/publisher-contract';
import { skipOrFail } from '../../../test/support/availability';
import {
  kcatInstalled,
  startKafkaMockBroker,
  type KafkaMockBroker,
} from '../../../test/support/kafka-mock-broker';
import { createKafkaPublisher } from './kafka-publisher';
import { consumerGroupReader, kcatReader } from '../../../test/support/kafka-readers';

describe('IntegrationPublisher contract: Kafka (librdkafka mock broker via kcat)', function () {
  this.timeout(120_000);
  before(function () {
    if (!kcatInstalled()) skipOrFail(this, 'kcat not installed', true);
  });

  const requestTimeoutMs = 1000;
  const retries = 1;
  integrationPublisherContract(
    async () => {
      const broker: KafkaMockBroker = await startKafkaMockBroker();
      const { brokers } = broker;
      return {
        openPublisher: () => createKafkaPublisher({ brokers, requestTimeoutMs, retries }),
        readers: {
          'kafkajs consumer group': consumerGroupReader(brokers),
          kcat: kcatReader(brokers),
        },
        interrupt: async () => broker.pause(),
        restore: async () => broker.resume(),
        // Each attempt times out, plus kafkajs's backoff between them, plus scheduling slack.
        failureBoundMs: (retries + 1) * requestTimeoutMs + 2000,
        close: () => broker.stop(),
      };
    },
    { faultHoldMs: 6000 },
  );
});
