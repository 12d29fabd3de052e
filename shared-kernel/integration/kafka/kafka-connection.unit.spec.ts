import { expect } from 'chai';
import { kafkaSecurityOptions, produceTimeouts, topicRequests } from './kafka-connection';

describe('Kafka connection settings', () => {
  it('keeps the produce acknowledgement timeout below the request timeout, for any request timeout', () => {
    for (const requestTimeoutMs of [100, 1000, 5000, 30_000, 120_000]) {
      const { ackTimeoutMs } = produceTimeouts(requestTimeoutMs);
      expect(ackTimeoutMs, String(requestTimeoutMs)).to.be.below(requestTimeoutMs).and.at.least(50);
    }
    expect(produceTimeouts(5000)).to.deep.equal({ requestTimeoutMs: 5000, ackTimeoutMs: 4000 });
  });

  it('asks for the configured replicas and min.insync.replicas on every topic', () => {
    expect(
      topicRequests(['a', 'b'], { partitions: 6, replicationFactor: 3, minInsyncReplicas: 2 }),
    ).to.deep.equal(
      ['a', 'b'].map((topic) => ({
        topic,
        numPartitions: 6,
        replicationFactor: 3,
        configEntries: [{ name: 'min.insync.replicas', value: '2' }],
      })),
    );
  });

  it('maps TLS (with or without a CA) and SASL onto the client options', () => {
    expect(kafkaSecurityOptions()).to.deep.equal({});
    expect(kafkaSecurityOptions({ tls: {} })).to.deep.equal({ ssl: true });
    expect(kafkaSecurityOptions({ tls: { ca: 'PEM' } })).to.deep.equal({ ssl: { ca: ['PEM'] } });
    const sasl = { mechanism: 'scram-sha-512' as const, username: 'u', password: 'p' };
    expect(kafkaSecurityOptions({ sasl })).to.deep.equal({ sasl });
  });
});
