import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { SERVICE_NODE_FLAGS } from './node-flags';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

describe('the Node flags services start with', () => {
  it('are ones this Node accepts (a bad flag would stop every service at start)', () => {
    const out = execFileSync(
      process.execPath,
      [...SERVICE_NODE_FLAGS, '-e', 'process.stdout.write(JSON.stringify(process.execArgv))'],
      { env: { PATH: process.env.PATH ?? '' } },
    );
    const execArgv = JSON.parse(out.toString()) as string[];
    expect(execArgv.slice(0, SERVICE_NODE_FLAGS.length)).to.deep.equal(SERVICE_NODE_FLAGS);
  });

  it("are the image's ENTRYPOINT, which compose's services start from", () => {
    const dockerfile = readFileSync(path.join(REPO_ROOT, 'docker', 'Dockerfile'), 'utf8');
    const entrypoint = /^ENTRYPOINT (\[.*\])$/m.exec(dockerfile)?.[1];
    expect(entrypoint, 'an ENTRYPOINT in exec form').to.be.a('string');
    expect(JSON.parse(entrypoint!)).to.deep.equal(['node', ...SERVICE_NODE_FLAGS]);
  });
});
