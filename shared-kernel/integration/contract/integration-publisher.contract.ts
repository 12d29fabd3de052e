import { expect } from 'chai';
import { StoreError, UnavailableError, ValidationError } from '../../errors';
import { newId } from '../../ids';
import type { IntegrationMessage, IntegrationPublisher } from '../port';
import { checkDelivery, type DeliveredMessage, type DeliveryReport } from './delivery-check';
import {
  inBatches,
  makeMessages,
  publishUntilAccepted,
  type FailedAttempt,
} from './contract.fixtures';

/**
 * Reads back what was delivered to `topics`. A reader that cannot tell where the end is (a
 * consumer group) may stop once every ce_id in `awaited` has arrived.
 */
export type DeliveryReader = (
  topics: readonly string[],
  awaited: ReadonlySet<string>,
) => Promise<DeliveredMessage[]>;

export interface PublisherHarness {
  /** The adapter as deployed, with its default timeouts: for the runs the backend answers. */
  openPublisher(): IntegrationPublisher;
  /**
   * The adapter with the short timeouts `failureBoundMs` comes from, for the run the backend
   * stops in (`openPublisher` when they are the same). Kept apart because a request that times
   * out on a loaded machine is resent, and an at-least-once adapter may then deliver a copy: a
   * clean run's "once per ce_id" holds only with timeouts a busy machine does not reach.
   */
  openFaultPublisher?(): IntegrationPublisher;
  /** Independent consumers of what the adapter delivered, by name. */
  readers: Record<string, DeliveryReader>;
  /** Makes the backend stop answering (a paused broker, a locked file) and brings it back. */
  interrupt(): Promise<void>;
  restore(): Promise<void>;
  /** A publish that fails must reject within this bound, so the caller can retry. */
  failureBoundMs: number;
  close(): Promise<void>;
}

export interface ContractOptions {
  messageCount?: number;
  keyCount?: number;
  batchSize?: number;
  faultHoldMs?: number;
}

/** The promises every IntegrationPublisher adapter keeps (docs/integration-events.md). */
export function describeIntegrationPublisherContract(
  openHarness: () => Promise<PublisherHarness>,
  {
    messageCount = 3000,
    keyCount = 150,
    batchSize = 200,
    faultHoldMs = 4000,
  }: ContractOptions = {},
): void {
  let harness: PublisherHarness;
  let publisher: IntegrationPublisher;
  const run = newId().slice(-12);
  let topicCount = 0;
  const freshTopics = (n: number) =>
    Array.from({ length: n }, () => `strata.test.${run}.t${++topicCount}`);

  before(async function () {
    harness = await openHarness();
    publisher = harness.openPublisher();
  });
  after(async () => {
    await publisher?.close();
    await harness?.close();
  });

  async function deliveryFor(
    topics: string[],
    published: IntegrationMessage[],
    awaitedMessages = published,
  ) {
    const awaited = new Set(awaitedMessages.map((m) => m.headers.ce_id));
    const reports: Record<string, DeliveryReport> = {};
    for (const [name, read] of Object.entries(harness.readers)) {
      reports[name] = checkDelivery(published, await read(topics, awaited));
    }
    return reports;
  }

  it('delivers a large run over many keys once per ce_id, in order per key', async () => {
    const topics = freshTopics(3);
    const messages = makeMessages(topics, messageCount, keyCount);
    for (const batch of inBatches(messages, batchSize)) await publisher.publish(batch);
    for (const [reader, report] of Object.entries(await deliveryFor(topics, messages))) {
      expect({ reader, ...report, missing: report.missing.length }).to.deep.equal({
        reader,
        delivered: messageCount,
        missing: 0,
        duplicates: 0,
        unexpected: [],
        outOfOrder: [],
      });
    }
  });

  it('keeps call order for calls made without waiting for each other', async () => {
    const topics = freshTopics(1);
    const messages = makeMessages(topics, 600, 5);
    await Promise.all(inBatches(messages, 20).map((batch) => publisher.publish(batch)));
    for (const report of Object.values(await deliveryFor(topics, messages))) {
      expect(report.missing).to.deep.equal([]);
      expect(report.outOfOrder).to.deep.equal([]);
    }
  });

  it('rejects a malformed call naming the field, and publishes none of it', async () => {
    const topics = freshTopics(1);
    // One key: had `good` been published, it would arrive before `marker`.
    const [good, bad, marker] = makeMessages(topics, 3, 1) as [
      IntegrationMessage,
      IntegrationMessage,
      IntegrationMessage,
    ];
    const broken = { ...bad, headers: { ...bad.headers, ce_id: '' } };
    const error = await rejectionOf(publisher.publish([good, broken]));
    expect(error).to.be.instanceOf(ValidationError);
    expect((error as ValidationError).errors.map((e) => e.field)).to.deep.equal([
      'messages[1].headers.ce_id',
    ]);
    await publisher.publish([marker]);
    for (const report of Object.values(await deliveryFor(topics, [good, marker], [marker]))) {
      expect(report.missing).to.deep.equal([good.headers.ce_id]);
    }
  });

  it('answers ping, accepts an empty call, and refuses to publish once closed', async () => {
    const own = harness.openPublisher();
    await own.ping();
    await own.publish([]);
    await own.close();
    const [message] = makeMessages(freshTopics(1), 1, 1);
    expect(await rejectionOf(own.publish([message!]))).to.be.instanceOf(StoreError);
  });

  it('loses nothing and keeps order per key when the backend stops mid-run', async function () {
    this.timeout(60_000 + faultHoldMs * 3);
    const topics = freshTopics(2);
    const messages = makeMessages(topics, Math.min(messageCount, 2000), keyCount);
    const batches = inBatches(messages, batchSize / 2);
    const failures: FailedAttempt[] = [];
    const faulted = harness.openFaultPublisher?.() ?? publisher;
    let restored: Promise<void> | null = null;
    for (const [index, batch] of batches.entries()) {
      const accepted = publishUntilAccepted(faulted, batch, failures);
      if (index === Math.floor(batches.length / 3)) {
        // Stop the backend while this batch may be in flight; bring it back a while later.
        await harness.interrupt();
        restored = new Promise((resolve) => setTimeout(resolve, faultHoldMs)).then(() =>
          harness.restore(),
        );
      }
      await accepted;
    }
    await restored;
    if (faulted !== publisher) await faulted.close();
    expect(failures.length, 'publishes failed while the backend was stopped').to.be.greaterThan(0);
    for (const { error, durationMs } of failures) {
      expect(error).to.be.instanceOf(UnavailableError);
      expect(durationMs).to.be.at.most(harness.failureBoundMs);
    }
    for (const [reader, report] of Object.entries(await deliveryFor(topics, messages))) {
      expect({ reader, missing: report.missing, outOfOrder: report.outOfOrder }).to.deep.equal({
        reader,
        missing: [],
        outOfOrder: [],
      });
      expect(report.unexpected).to.deep.equal([]);
      const slowest = Math.max(...failures.map((f) => f.durationMs));
      process.stdout.write(
        `      ${reader}: ${failures.length} failed attempts (slowest ${slowest} ms), ` +
          `${report.duplicates} duplicates of ${messages.length}\n`,
      );
    }
  });
}

/** The error a promise rejects with, or null when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
    return null;
  } catch (error) {
    return error;
  }
}
