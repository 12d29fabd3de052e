import { expect } from 'chai';
import { makeMessages } from '../contract/contract.fixtures';
import { topicBatches } from './topic-batches';

describe('topicBatches (Kafka sendBatch requests)', () => {
  const messages = makeMessages(['a', 'b', 'c'], 25, 4);

  it('chunks in call order, groups by topic, and keeps the order within each topic', () => {
    const batches = topicBatches(messages, 10);
    expect(batches.map((b) => b.reduce((n, t) => n + t.messages.length, 0))).to.deep.equal([
      10, 10, 5,
    ]);
    batches.forEach((batch, index) => {
      const chunk = messages.slice(index * 10, index * 10 + 10);
      expect(batch.map((t) => t.topic).sort()).to.deep.equal(['a', 'b', 'c']);
      for (const { topic, messages: sent } of batch) {
        const expected = chunk.filter((m) => m.topic === topic);
        expect(sent.map((m) => m.headers?.ce_id)).to.deep.equal(
          expected.map((m) => m.headers.ce_id),
        );
        expect(sent.map((m) => m.key)).to.deep.equal(expected.map((m) => m.key));
      }
    });
  });

  it('sends the value as JSON text and every CloudEvents header as a string', () => {
    const [batch] = topicBatches(messages.slice(0, 1), 10);
    const sent = batch![0]!.messages[0]!;
    expect(JSON.parse(String(sent.value))).to.deep.equal(messages[0]!.value);
    expect(sent.headers).to.deep.equal(messages[0]!.headers);
    expect(Object.values(sent.headers ?? {}).every((v) => typeof v === 'string')).to.equal(true);
  });
});
