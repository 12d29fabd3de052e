import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { nodeFlagsFor, WORKER_NODE_FLAGS } from './node-flags';

const DOCKER = path.resolve(__dirname, '..', '..', '..', 'docker');
const apiFlags = nodeFlagsFor(path.join('write-side', 'main.js'));

describe('the Node flags Strata processes start with', () => {
  it('are ones this Node accepts (a bad flag would stop the process at start)', () => {
    const out = execFileSync(
      process.execPath,
      [...WORKER_NODE_FLAGS, '-e', 'process.stdout.write(JSON.stringify(process.execArgv))'],
      { env: { PATH: process.env.PATH ?? '' } },
    );
    const execArgv = JSON.parse(out.toString()) as string[];
    expect(execArgv.slice(0, WORKER_NODE_FLAGS.length)).to.deep.equal(WORKER_NODE_FLAGS);
  });

  it("are the worker's for its entry point, however it is reached, and the APIs' otherwise", () => {
    expect(nodeFlagsFor('/app/dist/projections/main.js')).to.deep.equal(WORKER_NODE_FLAGS);
    expect(nodeFlagsFor(path.join('projections', 'main.js'))).to.deep.equal(WORKER_NODE_FLAGS);
    expect(nodeFlagsFor('/app/dist/read-side/main.js')).to.deep.equal(apiFlags);
    expect(nodeFlagsFor('/app/dist/projections/cli/main.js')).to.deep.equal(apiFlags);
    expect(apiFlags).to.not.include('--max-semi-space-size=64');
  });

  it("are the image's ENTRYPOINT and, for the worker, compose's command after it", () => {
    const dockerfile = readFileSync(path.join(DOCKER, 'Dockerfile'), 'utf8');
    const entrypoint = /^ENTRYPOINT (\[.*\])$/m.exec(dockerfile)?.[1];
    expect(entrypoint, 'an ENTRYPOINT in exec form').to.be.a('string');
    expect(JSON.parse(entrypoint!)).to.deep.equal(['node', ...apiFlags]);
    const compose = readFileSync(path.join(DOCKER, 'docker-compose.yml'), 'utf8');
    const worker = /^ {2}worker:\n(?: {4}.*\n)*? {4}command: (\[.*\])$/m.exec(compose)?.[1];
    expect(worker, "the worker's command in exec form").to.be.a('string');
    const command = JSON.parse(worker!.replace(/'/g, '"')) as string[];
    expect([...apiFlags, ...command]).to.deep.equal([
      ...WORKER_NODE_FLAGS,
      'dist/projections/main.js',
    ]);
  });
});
