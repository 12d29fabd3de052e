import { expect } from 'chai';
import { readConfig } from '../shared-kernel/config/env';
import { ConfigError } from '../shared-kernel/errors';
import { checkLeaseTiming, defaultWorkerId, workerConfig } from './config';

describe('worker configuration: leases', () => {
  it('reads the lease time and worker id, defaulting to 5 s and no id', () => {
    const defaults = readConfig({}, workerConfig);
    expect(defaults.leaseTtlMs).to.equal(5000);
    expect(defaults.workerId).to.equal(undefined);
    const set = readConfig(
      { STRATA_LEASE_TTL_MS: '800', STRATA_WORKER_ID: 'node-1.a' },
      workerConfig,
    );
    expect(set).to.include({ leaseTtlMs: 800, workerId: 'node-1.a' });
  });

  it('names the variable of a bad worker id or lease time', () => {
    expect(() => readConfig({ STRATA_WORKER_ID: 'a b' }, workerConfig)).to.throw(
      ConfigError,
      /STRATA_WORKER_ID: expected 1-64 letters/,
    );
    expect(() => readConfig({ STRATA_LEASE_TTL_MS: '50' }, workerConfig)).to.throw(
      ConfigError,
      /STRATA_LEASE_TTL_MS: expected an integer from 100/,
    );
  });

  it('refuses a lease shorter than two heartbeats, naming both variables', () => {
    expect(() => checkLeaseTiming({ leaseTtlMs: 1500, heartbeatIntervalMs: 1000 })).to.throw(
      ConfigError,
      /STRATA_LEASE_TTL_MS: expected at least twice STRATA_HEARTBEAT_INTERVAL_MS \(1000\), got 1500/,
    );
    expect(() => checkLeaseTiming({ leaseTtlMs: 2000, heartbeatIntervalMs: 1000 })).not.to.throw();
  });

  it('makes a default worker id the lease names accept, different on every start', () => {
    const a = defaultWorkerId(42);
    expect(a)
      .to.match(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/)
      .and.include('-42-');
    expect(defaultWorkerId(42)).to.not.equal(a);
  });
});
