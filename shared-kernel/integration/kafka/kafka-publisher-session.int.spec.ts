import { expect } from 'chai';
import { StoreError, UnavailableError } from '../../errors';
import { newId } from '../../ids';
import type { KafkaCluster } from '../../../test/support/kafka-cluster/cluster';
import { kafkaClusterFor } from '../../../test/support/kafka-cluster/shared';
import { kcatReader } from '../../../test/support/kafka-readers';
import { checkDelivery, ownDeliveries } from '../contract/delivery-check';
import { makeMessages } from '../contract/contract.fixtures';
import { openKafkaPublisher } from './kafka-publisher';

/**
 * A produce whose answer was lost still lands once the broker goes on. kafkajs then counts the
 * partition's sequence numbers from before that batch, so the next batch that is not the very
 * same one is refused as out of order, by every broker, for as long as that producer lives.
 * The mirror resends from its checkpoint, often with more events than before, so it met exactly
 * this after a broker kill: every later publish failed, and the mirror stood still.
 */
describe('Kafka publisher after a produce whose answer was lost (real 3-broker cluster)', function () {
  this.timeout(120_000);
  let cluster: KafkaCluster;
  before(async function () {
    cluster = await kafkaClusterFor(this);
  });

  it('goes on with a new producer: nothing lost, never a permanent refusal, first copies in order', async () => {
    const publisher = openKafkaPublisher({
      brokers: cluster.brokers,
      requestTimeoutMs: 1000,
      connectionTimeoutMs: 500,
      retries: 1,
    });
    const topic = `strata.test.${newId().slice(-8)}.lost-answer`;
    // One key: one partition, so every batch below shares one sequence.
    const messages = makeMessages([topic], 60, 1);
    try {
      await publisher.publish(messages.slice(0, 10));
      cluster.pause();
      try {
        // Sent, then given up on while the brokers are frozen; written when they resume.
        const lost = await publisher.publish(messages.slice(10, 30)).catch((e: unknown) => e);
        expect(lost).to.be.instanceOf(UnavailableError);
      } finally {
        cluster.resume();
      }
      // The resend carries more than the lost batch, as the mirror's does.
      const attempts: unknown[] = [];
      for (let n = 0; n < 3 && attempts.at(-1) !== 'published'; n++) {
        attempts.push(
          await publisher.publish(messages.slice(10, 40)).then(
            () => 'published',
            (e: unknown) => e,
          ),
        );
      }
      expect(attempts.at(-1), `attempts: ${attempts.map(String).join(' | ')}`).to.equal(
        'published',
      );
      for (const failed of attempts.slice(0, -1)) {
        expect(failed).to.be.instanceOf(UnavailableError).and.not.be.instanceOf(StoreError);
      }
      await publisher.publish(messages.slice(40));
      const delivered = await kcatReader(cluster.brokers)([topic], new Set());
      const report = checkDelivery(messages, ownDeliveries(messages, delivered));
      expect(report.missing).to.deep.equal([]);
      expect(report.outOfOrder).to.deep.equal([]);
      expect(report.unexpected).to.deep.equal([]);
    } finally {
      await publisher.close();
    }
  });
});
