import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { skipOrFail } from '../support/availability';
import { runningSystem, settled, type RunningSystem } from '../support/running-system';

const ROOT = path.join(__dirname, '..', '..', '..');
const CLI = path.join(__dirname, '..', '..', 'projections', 'cli', 'main.js');
const MARK = '@@STATUS';

/** The first ```sh block after a README heading, as its lines. */
function shellBlockAfter(readme: string, heading: string): string[] {
  const from = readme.indexOf(`\n${heading}\n`);
  if (from < 0) throw new Error(`README has no heading "${heading}"`);
  const start = readme.indexOf('```sh\n', from) + '```sh\n'.length;
  // A line ending in a backslash goes on on the next one, for the shell as for this reader.
  return readme
    .slice(start, readme.indexOf('\n```', start))
    .replace(/\\\n\s*/g, '')
    .split('\n');
}

/**
 * The README's lines as a bash script against this system: each `curl` prints its answer and
 * status, `X=<the id|position from the answer>` takes that field of the previous answer, and
 * `npx strata` runs the compiled CLI. Nothing else is changed: what runs is what a reader runs.
 */
function scriptOf(lines: readonly string[], bases: { command: string; query: string }): string {
  return lines
    .map((line) => {
      const placeholder = /^(\w+)=<the (id|position) from the answer>/.exec(line);
      if (placeholder) {
        const take = `${placeholder[1]}=$(printf '%s' "$LAST" | sed '$d' | tail -n 1 | jq -r .${placeholder[2]})`;
        // "the fulfillment saga reserves stock and confirms it": a reader's next line comes later.
        const confirmed = `for i in $(seq 150); do curl -s ${bases.query}/orders/$ORDER | grep -q '"status":"confirmed"' && break; sleep 0.2; done`;
        return placeholder[1] === 'ORDER' ? `${take}\n${confirmed}` : take;
      }
      const local = line
        .replaceAll('localhost:3000', bases.command)
        .replaceAll('localhost:3001', bases.query);
      if (local.startsWith('curl ')) {
        return `LAST=$(${local.replace(/\s+#.*$/, '')} -sS -w '\\n${MARK} %{http_code}\\n'); printf '@@RUN %s\\n%s\\n' ${quote(line)} "$LAST"`;
      }
      if (local.startsWith('npx strata ')) {
        const run = `node ${CLI} ${local.slice('npx strata '.length)}`;
        return `OUT=$(${run}); RC=$?; printf '@@RUN %s\\n%s\\n${MARK} %s\\n' ${quote(line)} "$OUT" "$RC"`;
      }
      return local;
    })
    .join('\n');
}

const quote = (text: string) => `'${text.replaceAll("'", "'\\''")}'`;

interface Ran {
  line: string;
  status: number;
  body: string;
}

function answers(stdout: string): Ran[] {
  return stdout
    .split('@@RUN ')
    .slice(1)
    .map((chunk) => {
      const [line = '', ...rest] = chunk.split('\n');
      const statusAt = rest.findIndex((l) => l.startsWith(MARK));
      const body = rest.slice(0, statusAt).filter((l) => l.trim() !== '');
      return {
        line,
        status: Number(rest[statusAt]?.slice(MARK.length)),
        body: body.at(-1) ?? '',
      };
    });
}

/** Does the answer hold what the example promises: something found, not an empty page. */
function promised(ran: Ran): boolean {
  const body = JSON.parse(ran.body) as Record<string, unknown>;
  if (Array.isArray(body.items)) return body.items.length > 0;
  if (Array.isArray(body.changes)) return body.changes.length > 0;
  return Object.keys(body).length > 0;
}

describe('README walkthrough: the commands, then the queries, run in order (e2e)', function () {
  this.timeout(120_000);
  let system: RunningSystem;
  let bases: { command: string; query: string; worker: string };
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const run = promisify(execFile);
  let env: Record<string, string>;

  before(async function () {
    for (const tool of ['curl', 'jq']) {
      try {
        await run('sh', ['-c', `command -v ${tool}`]);
      } catch {
        skipOrFail(this, `${tool} is not installed: the README walkthrough cannot run`, false);
      }
    }
    system = runningSystem();
    const strip = (base: string) => base.replace('http://', '');
    const command = (await system.start('command')).base;
    const worker = (await system.start('worker')).base;
    const query = (await system.start('query')).base;
    bases = { command: strip(command), query: strip(query), worker };
    env = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      STRATA_DATA_DIR: system.dataDir,
    };
  });
  after(async () => system?.stopAll());

  it('answers every command as the comments say and every query with what it promises', async () => {
    const commands = shellBlockAfter(readme, '## Commands (write side)');
    const queries = shellBlockAfter(readme, '## Queries (read side)');
    // The queries come after the commands, as a reader types them: the worker has caught up.
    const written = await run(
      'bash',
      [
        '-c',
        `set -u\n${scriptOf(commands, bases)}\nprintf '\\n%s\\n' "PRODUCT=$PRODUCT" "ORDER=$ORDER" "POSITION=$POSITION" "CUSTOMER=$CUSTOMER"`,
      ],
      { env },
    );
    const ranCommands = answers(written.stdout);
    expect(ranCommands.length).to.equal(commands.filter((l) => l.startsWith('curl ')).length);
    for (const ran of ranCommands) {
      const expected = /# (\d{3})/.exec(ran.line)?.[1];
      if (expected) expect(ran.status, ran.line).to.equal(Number(expected));
      else expect(ran.status, `${ran.line}\n${ran.body}`).to.be.within(200, 299);
    }
    await settled(bases.worker);

    const vars = written.stdout
      .split('\n')
      .filter((l) => /^(PRODUCT|ORDER|POSITION|CUSTOMER)=./.test(l))
      // Quoted again: a customer id is an identity provider's subject, such as `auth0|...`.
      .map((l) =>
        l.replace(/^(\w+)=(.*)$/, (_, name: string, value: string) => `${name}=${quote(value)}`),
      )
      .join('\n');
    const read = await run('bash', ['-c', `set -u\n${vars}\n${scriptOf(queries, bases)}`], { env });
    const ranQueries = answers(read.stdout);
    expect(ranQueries.map((r) => r.line)).to.deep.equal(
      queries.filter((l) => l.startsWith('curl ') || l.startsWith('npx strata ')),
    );
    for (const ran of ranQueries) {
      // An HTTP status, or the CLI's exit code.
      const ok = ran.line.startsWith('npx strata ') ? [0, 0] : [200, 299];
      expect(ran.status, `${ran.line}\n${ran.body}`).to.be.within(ok[0]!, ok[1]!);
      expect(promised(ran), `${ran.line}\n${ran.body}`).to.equal(true);
    }
  });
});
