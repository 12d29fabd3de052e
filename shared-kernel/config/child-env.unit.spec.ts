import { expect } from 'chai';
import { childEnv, strataProcessEnv } from './child-env';

describe('child process environments', () => {
  const parent = {
    PATH: '/usr/bin',
    HOME: '/root',
    AWS_SECRET_ACCESS_KEY: 'not for children',
    GITHUB_TOKEN: 'nor this',
    STRATA_DATA_DIR: '/data',
    ESDB_URL: 'esdb://127.0.0.1:2113',
    OTEL_SERVICE_NAME: 'strata',
    LOG_LEVEL: 'debug',
    REDIS_URL: 'redis://127.0.0.1:6379',
  };

  it('inherits only the basics and what the caller passes', () => {
    const env = childEnv(parent, { STRATA_DATA_DIR: '/tmp/x', REDIS_URL: undefined });
    expect(env).to.deep.equal({ PATH: '/usr/bin', HOME: '/root', STRATA_DATA_DIR: '/tmp/x' });
  });

  it("gives supervised processes Strata's configuration and nothing foreign", () => {
    const env = strataProcessEnv(parent);
    expect(env).to.include({ STRATA_DATA_DIR: '/data', ESDB_URL: 'esdb://127.0.0.1:2113' });
    expect(env).to.include({ OTEL_SERVICE_NAME: 'strata', LOG_LEVEL: 'debug', PATH: '/usr/bin' });
    expect(env).to.not.have.any.keys('AWS_SECRET_ACCESS_KEY', 'GITHUB_TOKEN');
  });
});
