import { expect } from 'chai';
import { ConfigError } from '../errors';
import { hostListVar, integerVar, oneOfVar, portVar, readConfig, stringVar, urlVar } from './env';

describe('readConfig', () => {
  const spec = {
    port: portVar('STRATA_COMMAND_PORT', 3000),
    dataDir: stringVar('STRATA_DATA_DIR', './data'),
    level: oneOfVar('LOG_LEVEL', ['info', 'debug'] as const, 'info'),
    redis: urlVar('REDIS_URL', ['redis:', 'rediss:']),
    brokers: hostListVar('KAFKA_BROKERS'),
    waitMs: integerVar('STRATA_WAIT_MS', 2000, { min: 0, max: 60_000 }),
  };

  it('uses the defaults when nothing is set, and treats blank as unset', () => {
    const config = readConfig({ LOG_LEVEL: '  ' }, spec);
    expect(config).to.deep.equal({
      port: 3000,
      dataDir: './data',
      level: 'info',
      redis: undefined,
      brokers: undefined,
      waitMs: 2000,
    });
  });

  it('parses the values that are set', () => {
    const config = readConfig(
      {
        STRATA_COMMAND_PORT: '8080',
        REDIS_URL: 'redis://localhost:6379',
        KAFKA_BROKERS: 'a:9092, b:9093',
      },
      spec,
    );
    expect(config.port).to.equal(8080);
    expect(config.redis).to.equal('redis://localhost:6379');
    expect(config.brokers).to.deep.equal(['a:9092', 'b:9093']);
  });

  it('names every bad variable with what it expects and what it got', () => {
    let error: unknown;
    try {
      readConfig(
        {
          STRATA_COMMAND_PORT: 'eighty',
          LOG_LEVEL: 'loud',
          REDIS_URL: 'http://x',
          KAFKA_BROKERS: 'x',
        },
        spec,
      );
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).to.contain(
      'STRATA_COMMAND_PORT: expected an integer from 0 to 65535, got "eighty"',
    );
    expect(message).to.contain('LOG_LEVEL: expected one of info, debug, got "loud"');
    expect(message).to.contain('REDIS_URL: expected a URL starting with redis:// or rediss://');
    expect(message).to.contain('KAFKA_BROKERS');
  });

  it('rejects integers out of range', () => {
    expect(() => readConfig({ STRATA_WAIT_MS: '60001' }, spec)).to.throw(
      ConfigError,
      'STRATA_WAIT_MS',
    );
    expect(() => readConfig({ STRATA_COMMAND_PORT: '1.5' }, spec)).to.throw(
      ConfigError,
      'STRATA_COMMAND_PORT',
    );
  });
});
