import { expect } from 'chai';
import { Partitioners, type PartitionMetadata } from 'kafkajs';
import { makeMessages } from '../contract/contract.fixtures';
import { partitionRequests } from './partition-requests';
import { topicBatches } from './topic-batches';

describe('partitionRequests (one sendBatch per topic partition)', () => {
  const messages = makeMessages(['a', 'b', 'c'], 60, 12);
  const [chunk] = topicBatches(messages, 100);
  const counts: Record<string, number> = { a: 3, b: 5 };

  it('sends each partition of a counted topic alone, in call order, the rest together', () => {
    const requests = partitionRequests(chunk!, (topic) => counts[topic]);
    const split = requests.filter((r) => r.length === 1 && r[0]!.topic !== 'c');
    // Each (topic, partition) in exactly one request, and more than one per counted topic.
    const partitions = split.map((r) => `${r[0]!.topic}/${r[0]!.messages[0]!.partition}`);
    expect(new Set(partitions).size).to.equal(split.length);
    expect(split.filter((r) => r[0]!.topic === 'a').length).to.be.within(2, 3);
    expect(split.filter((r) => r[0]!.topic === 'b').length).to.be.within(2, 5);
    for (const request of split) {
      const { topic, messages: sent } = request[0]!;
      expect(new Set(sent.map((m) => m.partition)).size).to.equal(1);
      const expected = messages.filter(
        (m) => m.topic === topic && sent.some((s) => s.headers?.ce_id === m.headers.ce_id),
      );
      expect(sent.map((m) => m.headers?.ce_id)).to.deep.equal(expected.map((m) => m.headers.ce_id));
    }
    const rest = requests.filter((r) => !split.includes(r));
    expect(rest.map((r) => r.map((t) => t.topic))).to.deep.equal([['c']]);
    expect(rest[0]![0]!.messages.every((m) => m.partition === undefined)).to.equal(true);
    const total = requests.flat().reduce((n, t) => n + t.messages.length, 0);
    expect(total).to.equal(messages.length);
  });

  it("puts each key on the partition kafkajs's default partitioner gives it", () => {
    const metadata: PartitionMetadata[] = [0, 1, 2, 3, 4].map((partitionId) => ({
      partitionErrorCode: 0,
      partitionId,
      leader: 1,
      replicas: [1],
      isr: [1],
    }));
    const reference = Partitioners.DefaultPartitioner();
    for (const request of partitionRequests(chunk!, () => 5)) {
      const { topic, messages: sent } = request[0]!;
      for (const message of sent) {
        const { partition: _given, ...unpartitioned } = message;
        const expected = reference({ topic, partitionMetadata: metadata, message: unpartitioned });
        expect(message.partition).to.equal(expected);
      }
    }
  });
});
