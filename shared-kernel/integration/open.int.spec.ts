import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { expect } from 'chai';
import { ConfigError } from '../errors';
import { readConfig } from '../config/env';
import { createLogger } from '../logging/logger';
import { integrationConfig, openIntegrationPublisher } from './open';

describe('openIntegrationPublisher (adapter chosen by configuration)', () => {
  const logger = createLogger({
    service: 'test',
    level: 'error',
    format: 'json',
    stream: new PassThrough(),
  });

  it('reads its variables with defaults, and names a bad broker list', () => {
    expect(readConfig({}, integrationConfig)).to.deep.equal({
      kafkaBrokers: undefined,
      kafkaClientId: 'strata',
      kafkaRequestTimeoutMs: 5000,
      kafkaTopicPartitions: 3,
      kafkaReplicationFactor: 3,
      kafkaMinInsyncReplicas: 2,
      kafkaIdempotent: true,
      kafkaSsl: false,
      kafkaSslCaFile: undefined,
      kafkaSaslMechanism: undefined,
      kafkaSaslUsername: undefined,
      kafkaSaslPassword: undefined,
    });
    const env = { KAFKA_BROKERS: 'a:9092, b:9093' };
    expect(readConfig(env, integrationConfig).kafkaBrokers).to.deep.equal(['a:9092', 'b:9093']);
    expect(() => readConfig({ KAFKA_BROKERS: 'no-port' }, integrationConfig))
      .to.throw(ConfigError)
      .with.property('message')
      .that.contains('KAFKA_BROKERS');
  });

  it('names the variable of every bad TLS, SASL or replication setting, never echoing the password', () => {
    const opened = (env: Record<string, string>) => () =>
      openIntegrationPublisher(
        { ...readConfig({ KAFKA_BROKERS: 'a:9092', ...env }, integrationConfig), dataDir: '.' },
        logger,
      );
    const refusals: Array<[Record<string, string>, string]> = [
      [{ KAFKA_SASL_MECHANISM: 'scram-sha-256' }, 'KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD'],
      [{ KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'hunter2-x' }, 'KAFKA_SASL_MECHANISM'],
      [{ KAFKA_TOPIC_REPLICATION_FACTOR: '1' }, 'KAFKA_TOPIC_MIN_INSYNC_REPLICAS'],
    ];
    for (const [env, named] of refusals) {
      expect(opened(env), named)
        .to.throw(ConfigError, named)
        .with.property('message')
        .that.does.not.contain('hunter2-x');
    }
    for (const [env, named] of [
      [{ KAFKA_SASL_MECHANISM: 'gssapi' }, 'KAFKA_SASL_MECHANISM: expected one of plain'],
      [
        { KAFKA_SSL_CA_FILE: '/nonexistent/ca.pem' },
        'KAFKA_SSL_CA_FILE: expected the path of a readable file',
      ],
      [{ KAFKA_IDEMPOTENT: 'yes' }, 'KAFKA_IDEMPOTENT: expected true or false'],
    ] as const) {
      expect(() => readConfig(env, integrationConfig), named).to.throw(ConfigError, named);
    }
  });

  it('uses the embedded outbox under the data directory when no brokers are set', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-open-'));
    const config = { ...readConfig({}, integrationConfig), dataDir };
    const publisher = openIntegrationPublisher(config, logger);
    try {
      await publisher.ping();
      expect(fs.existsSync(path.join(dataDir, 'outbox.db'))).to.equal(true);
    } finally {
      await publisher.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
