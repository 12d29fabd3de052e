import { expect } from 'chai';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { skipOrFail } from '../support/availability';
import { prometheusDir, prometheusInstalled, promtool } from '../support/prometheus';

/** Each alert's name with whether a case expects it firing and one expects it silent. */
function testedAlerts(tests: string): Map<string, { firing: boolean; silent: boolean }> {
  const seen = new Map<string, { firing: boolean; silent: boolean }>();
  for (const [, name, empty] of tests.matchAll(/alertname: (\S+)\n\s*exp_alerts:( \[\])?/g)) {
    const entry = seen.get(name!) ?? { firing: false, silent: false };
    if (empty) entry.silent = true;
    else entry.firing = true;
    seen.set(name!, entry);
  }
  return seen;
}

describe('docker/prometheus: scrape config and alert rules, checked by promtool', function () {
  this.timeout(60_000);
  before(function () {
    if (!prometheusInstalled()) {
      skipOrFail(this, 'promtool is not installed (apt-get install prometheus)', true);
    }
  });

  it('the scrape config and the rule file it names are valid', () => {
    const config = promtool(['check', 'config', 'prometheus.yml']);
    expect(config.status, config.output).to.equal(0);
    const rules = promtool(['check', 'rules', 'alerts.yml']);
    expect(rules.status, rules.output).to.equal(0);
    expect(rules.output).to.match(/SUCCESS: \d+ rules found/);
  });

  it('every alert has a case where it fires and one where it does not, and all pass', () => {
    const dir = prometheusDir();
    const names = [
      ...readFileSync(path.join(dir, 'alerts.yml'), 'utf8').matchAll(/- alert: (\S+)/g),
    ].map((m) => m[1]!);
    const tested = testedAlerts(readFileSync(path.join(dir, 'alerts.test.yml'), 'utf8'));
    for (const name of new Set(names)) {
      expect(tested.get(name), `${name} in alerts.test.yml`).to.deep.equal({
        firing: true,
        silent: true,
      });
    }
    const run = promtool(['test', 'rules', 'alerts.test.yml']);
    expect(run.status, run.output).to.equal(0);
  });

  it('a case expecting the wrong labels fails, so the cases do check something', () => {
    const scratch = mkdtempSync(path.join(os.tmpdir(), 'strata-promtool-'));
    try {
      const dir = prometheusDir();
      copyFileSync(path.join(dir, 'alerts.yml'), path.join(scratch, 'alerts.yml'));
      const tests = readFileSync(path.join(dir, 'alerts.test.yml'), 'utf8');
      const wrong = tests.replace('processor: orders }', 'processor: products }');
      expect(wrong).not.to.equal(tests);
      writeFileSync(path.join(scratch, 'alerts.test.yml'), wrong);
      const run = promtool(['test', 'rules', path.join(scratch, 'alerts.test.yml')]);
      expect(run.status).to.equal(1);
      expect(run.output).to.include('StrataDeadLetterParked');
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
