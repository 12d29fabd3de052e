import { describeIntegrationPublisherContract } from '../contract/integration-publisher.contract';
import type { KafkaCluster } from '../../../test/support/kafka-cluster/cluster';
import { kafkaClusterFor } from '../../../test/support/kafka-cluster/shared';
import { openKafkaPublisher } from './kafka-publisher';
import { consumerGroupReader, kcatReader } from '../../../test/support/kafka-readers';

describe('IntegrationPublisher contract: Kafka (a real 3-broker KRaft cluster, idempotent producer)', function () {
  this.timeout(240_000);
  let cluster: KafkaCluster;
  before(async function () {
    cluster = await kafkaClusterFor(this);
  });

  const requestTimeoutMs = 1000;
  const retries = 1;
  describeIntegrationPublisherContract(
    async () => ({
      // The defaults: idempotent, 3 replicas with 2 in sync, 5 s request timeout.
      openPublisher: () => openKafkaPublisher({ brokers: cluster.brokers }),
      // The fault run's short timeouts only. With them, ci26 and ci29 (two busy loops beside the
      // suite) read 3,152 and 3,123 records of the large run's 3,000, the copies at offsets of
      // their own: most likely a produce past 1 s, resent while the first landed.
      openFaultPublisher: () =>
        openKafkaPublisher({ brokers: cluster.brokers, requestTimeoutMs, retries }),
      readers: {
        'kafkajs consumer group': consumerGroupReader(cluster.brokers),
        kcat: kcatReader(cluster.brokers),
      },
      // Every broker frozen with its sockets open: requests are accepted and never answered.
      interrupt: async () => cluster.pause(),
      restore: async () => cluster.resume(),
      // Each attempt times out, plus kafkajs's backoff between them, plus scheduling slack.
      failureBoundMs: (retries + 1) * requestTimeoutMs + 2000,
      close: async () => undefined, // the cluster is shared by the whole mocha run
    }),
    { faultHoldMs: 6000 },
  );
});
