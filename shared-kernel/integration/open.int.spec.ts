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
    });
    const env = { KAFKA_BROKERS: 'a:9092, b:9093' };
    expect(readConfig(env, integrationConfig).kafkaBrokers).to.deep.equal(['a:9092', 'b:9093']);
    expect(() => readConfig({ KAFKA_BROKERS: 'no-port' }, integrationConfig))
      .to.throw(ConfigError)
      .with.property('message')
      .that.contains('KAFKA_BROKERS');
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
