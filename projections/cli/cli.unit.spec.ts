import { expect } from 'chai';
import { runCli } from './main';

describe('strata CLI exit codes', () => {
  const quiet = { stdout: process.stdout.write, stderr: process.stderr.write };
  beforeEach(() => {
    process.stdout.write = (() => true) as typeof process.stdout.write;
    process.stderr.write = (() => true) as typeof process.stderr.write;
  });
  afterEach(() => {
    process.stdout.write = quiet.stdout;
    process.stderr.write = quiet.stderr;
    process.exitCode = undefined;
  });

  it('exits 2 on an unknown command or option (usage error)', async () => {
    expect(await runCli(['node', 'strata', 'no-such-command'])).to.equal(2);
    expect(await runCli(['node', 'strata', '--no-such-option'])).to.equal(2);
  });

  it('exits 0 on --help', async () => {
    expect(await runCli(['node', 'strata', '--help'])).to.equal(0);
  });
});
