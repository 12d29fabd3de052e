import { expect } from 'chai';
import { readFileSync } from 'node:fs';
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

  it('prints the package version on --version and -V, exit 0', async () => {
    const printed: string[] = [];
    process.stdout.write = ((chunk: string) =>
      printed.push(chunk) > 0) as typeof process.stdout.write;
    expect(await runCli(['node', 'strata', '--version'])).to.equal(0);
    expect(await runCli(['node', 'strata', '-V'])).to.equal(0);
    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    expect(printed).to.deep.equal([`${version}\n`, `${version}\n`]);
  });
});
