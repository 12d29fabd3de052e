import { expect } from 'chai';
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { childEnv } from '../../config/child-env';
import { position, product, productDeclaration } from '../contract/contract.fixtures';
import type { IndexOperation, SearchIndex, SearchPage, SearchQuery } from '../port';
import { queryArb, stepArb } from './search-arbitraries.fixtures';
import type { WriterAnswer, WriterCall } from './search-writer.fixtures';
import { openSqliteSearchIndex } from './sqlite-search-index';

/**
 * The query API keeps columns and text matches in memory while the worker (or the CLI's
 * rebuild) writes the same file from another process: every search of the long-lived reader
 * must answer what a reader opened just then answers, whatever the other process did last.
 */
describe('SQLite search across processes', function () {
  this.timeout(120_000);
  let dir: string;
  let file: string;
  let writer: ChildProcess;
  let reader: SearchIndex;
  const declarations = [productDeclaration('p')];

  const write = (calls: WriterCall[]) =>
    new Promise<unknown[]>((resolve, reject) => {
      writer.once('message', (answer: WriterAnswer) =>
        'error' in answer ? reject(new Error(answer.error)) : resolve(answer.results),
      );
      writer.send(calls);
    });
  /** What a reader that has kept nothing answers now. */
  const fresh = async (query: SearchQuery): Promise<SearchPage> => {
    const index = openSqliteSearchIndex({ file, declarations });
    try {
      return await index.search('p', query);
    } finally {
      await index.close();
    }
  };
  const expectFresh = async (query: SearchQuery) =>
    expect(await reader.search('p', query), JSON.stringify(query)).to.deep.equal(
      await fresh(query),
    );

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'strata-search-processes-'));
    file = join(dir, 'search.db');
    writer = fork(join(__dirname, 'search-writer.fixtures.js'), [file, 'p'], {
      env: childEnv(process.env),
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    reader = openSqliteSearchIndex({ file, declarations });
  });
  afterEach(async () => {
    await reader.close();
    writer.disconnect();
    await new Promise((resolve) => writer.once('exit', resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers what a fresh reader answers after every batch the other process writes', async () => {
    const [target] = (await write([{ method: 'createTarget', args: ['p'] }])) as [string];
    await write([{ method: 'swapAlias', args: ['p', target] }]);
    let version = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(stepArb, { minLength: 1, maxLength: 10 }),
        fc.array(queryArb, { minLength: 1, maxLength: 3 }),
        async (steps, queries) => {
          const ops = steps.map((step): IndexOperation => ({
            ...step,
            version: position(++version),
          }));
          await write([{ method: 'bulk', args: ['p', ops] }]);
          for (const query of queries) await expectFresh(query);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('searches a target another process rebuilt under a reused name, not what it kept of the old one', async () => {
    const lamps = (seq: number, name: string): IndexOperation => ({
      op: 'upsert',
      id: `p-${seq}`,
      version: position(seq),
      doc: product({ name, price: seq }),
    });
    const query = { q: 'lamp', facets: [{ kind: 'terms' as const, field: 'category' }] };
    const [first] = (await write([{ method: 'createTarget', args: ['p'] }])) as [string];
    await write([{ method: 'swapAlias', args: ['p', first] }]);
    const [second] = (await write([{ method: 'createTarget', args: ['p'] }])) as [string];
    await write([
      { method: 'bulk', args: [second, [lamps(1, 'Oak lamp'), lamps(2, 'Red lamp')]] },
      { method: 'swapAlias', args: ['p', second] },
    ]);
    expect((await reader.search('p', query)).total).to.equal(2);
    // The rebuild is thrown away and done again: the same target name, the same write count.
    const [, , target] = (await write([
      { method: 'rollback', args: ['p'] },
      { method: 'dropTarget', args: [second] },
      { method: 'createTarget', args: ['p'] },
    ])) as [string, undefined, string];
    expect(target).to.equal(second);
    await write([
      { method: 'bulk', args: [target, [lamps(3, 'Desk'), lamps(4, 'Steel lamp')]] },
      { method: 'swapAlias', args: ['p', target] },
    ]);
    const page = await reader.search('p', query);
    expect(page.hits.map((hit) => hit.id)).to.deep.equal(['p-4']);
    expect(page).to.deep.equal(await fresh(query));
  });
});
