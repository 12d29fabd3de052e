import { expect } from 'chai';
import fc from 'fast-check';
import { setTimeout as sleep } from 'node:timers/promises';
import { openSqliteEventStore } from '../../shared-kernel/event-store/sqlite';
import { newId } from '../../shared-kernel/ids';
import { figure, knob, stopwatch } from './support/figures';
import { stockCatalog } from './support/catalog';
import {
  operationsOf,
  requestArbitrary,
  type FuzzRequest,
  type Operation,
} from './support/openapi-requests';
import { inParallel, request } from './support/http';
import type { Schemas } from './support/schema-arbitraries';
import { need, startSystem, type RunningSystem } from './support/system';

const SCENARIO = 'fuzzed-http';
/** Issue 7 item 10: 5,000 requests (also the CI default: they take seconds). */
const REQUESTS = knob('FAULT_FUZZ_REQUESTS', 5_000);
/** Printed with the figures; set it to replay a run exactly. */
const SEED = knob('FAULT_FUZZ_SEED', 1 + (Date.now() % 2_000_000_000));
const IN_FLIGHT = 16;
const OPERATIONAL = /^GET \/(livez|readyz|metrics|openapi\.json)$/;

type Documented = { operations: Operation[]; schemas: Schemas };

/** The operations an API documents: the fuzzer knows its routes only from /openapi.json. */
async function documentOf(baseUrl: string): Promise<Documented> {
  const answer = await request(`${baseUrl}/openapi.json`);
  if (answer.status !== 200) throw new Error(`${baseUrl}/openapi.json answered ${answer.status}`);
  return operationsOf(answer.body as never);
}

/** The one 5xx by design: a well-formed minPosition the read models have not reached. */
const designedWait = (status: number, body: unknown, retryAfter: string | null) =>
  status === 503 &&
  retryAfter !== null &&
  /have not reached position/.test(String((body as { detail?: unknown })?.detail));

describe('fault: fuzzed HTTP derived from the OpenAPI documents, against every route', function () {
  this.timeout(600_000);
  let system: RunningSystem | undefined;
  after(async () => system?.stop());

  it(`${REQUESTS} malformed or hostile requests: no 5xx, problem+json for every refusal, nothing appended by a refused request`, async () => {
    const elapsed = stopwatch();
    // The worker too: without it the search index has no live target and /readyz is rightly 503.
    system = await startSystem('fuzz', {
      command: true,
      query: true,
      worker: true,
      // A far-ahead position is answered at once instead of after the 2 s wait.
      queryEnv: { STRATA_MIN_POSITION_WAIT_MS: '0' },
    });
    const commandUrl = need(system.command, 'command API').url;
    const queryUrl = need(system.query, 'query API').url;
    const commands = await documentOf(commandUrl);
    const queries = await documentOf(queryUrl);
    const [item] = await stockCatalog(commandUrl, 1);
    const known = [item!.productId, item!.sku];

    const arbitrary = fc.oneof(
      requestArbitrary(commandUrl, commands.operations, commands.schemas, known),
      requestArbitrary(queryUrl, queries.operations, queries.schemas, known),
    );
    const sampling = stopwatch();
    const requests: FuzzRequest[] = fc.sample(arbitrary, { numRuns: REQUESTS, seed: SEED });
    const samplingSeconds = sampling();
    // Sampling blocks this process for seconds. The servers close keep-alive sockets idle for
    // 5 s meanwhile; one turn of the event loop lets the client see those closes before it
    // reuses a dead socket (seen as "other side closed" on the first request otherwise).
    await sleep(250);
    const events = openSqliteEventStore({ dataDir: system.dataDir });
    try {
      const headBefore = await events.headPosition();
      const run = newId().slice(-8);
      const answers = await inParallel(requests.length, IN_FLIGHT, (i) => {
        const r = requests[i] as FuzzRequest;
        const headers = { ...r.headers, 'x-correlation-id': `fuzz-${run}-${i}` };
        return request(r.url, {
          method: r.method,
          headers,
          ...(r.body !== undefined ? { body: r.body } : {}),
        });
      });

      const byStatus: Record<number, number> = {};
      const byOperation: Record<string, number> = {};
      const failures: string[] = [];
      const notProblems: string[] = [];
      const acceptedIds = new Set<string>();
      const acceptedBy: Record<string, number> = {};
      let designed = 0;
      answers.forEach((answer, i) => {
        const r = requests[i] as FuzzRequest;
        const what = `${r.method} ${r.url.slice(0, 200)} ${JSON.stringify(r.headers)} ${r.body?.slice(0, 200) ?? ''}`;
        byStatus[answer.status] = (byStatus[answer.status] ?? 0) + 1;
        byOperation[r.operation] = (byOperation[r.operation] ?? 0) + 1;
        if (answer.status >= 200 && answer.status < 300) {
          acceptedIds.add(`fuzz-${run}-${i}`);
          acceptedBy[r.operation] = (acceptedBy[r.operation] ?? 0) + 1;
        }
        if (designedWait(answer.status, answer.body, answer.retryAfter)) designed += 1;
        else if (answer.status === 0 || answer.status >= 500) {
          failures.push(`${what} -> ${answer.status} ${answer.raw.slice(0, 300)}`);
        } else if (
          answer.status >= 400 &&
          !answer.contentType.includes('application/problem+json')
        ) {
          notProblems.push(`${what} -> ${answer.status} ${answer.contentType}`);
        }
      });
      let appended = 0;
      const fromRefused: string[] = [];
      for await (const event of events.readAll({ after: headBefore })) {
        appended += 1;
        if (!acceptedIds.has(event.metadata.correlationId)) {
          fromRefused.push(`${event.streamId} ${event.type} (${event.metadata.correlationId})`);
        }
      }
      const documented = [...commands.operations, ...queries.operations].map(
        (o) => `${o.method} ${o.path}`,
      );
      const untried = documented.filter((o) => !byOperation[o]);

      figure(SCENARIO, 'seed (FAULT_FUZZ_SEED replays it)', SEED);
      figure(
        SCENARIO,
        'command API operations from',
        `/openapi.json: ${commands.operations.length}`,
      );
      figure(SCENARIO, 'query API operations from', `/openapi.json: ${queries.operations.length}`);
      figure(SCENARIO, 'requests generated in', samplingSeconds, 's');
      figure(SCENARIO, 'requests sent', answers.length);
      figure(SCENARIO, 'answers by status', JSON.stringify(byStatus));
      figure(SCENARIO, '5xx or no answer', failures.length);
      figure(SCENARIO, 'designed read-your-writes 503 (position not reached)', designed);
      figure(SCENARIO, 'refusals that are not problem+json', notProblems.length);
      figure(SCENARIO, 'requests accepted (2xx)', acceptedIds.size);
      figure(SCENARIO, 'accepted by operation', JSON.stringify(acceptedBy));
      figure(SCENARIO, 'events appended', appended);
      figure(SCENARIO, 'events appended by refused requests', fromRefused.length);
      figure(SCENARIO, 'documented operations never tried', untried.length);
      figure(SCENARIO, 'runtime', elapsed(), 's');

      expect(failures.slice(0, 20), `${failures.length} 5xx / no answer`).to.deep.equal([]);
      expect(notProblems.slice(0, 20), 'refusals without problem+json').to.deep.equal([]);
      expect(fromRefused.slice(0, 20), 'events from refused requests').to.deep.equal([]);
      expect(untried, 'every documented operation was fuzzed').to.deep.equal([]);
      // The operational routes take no parameters and rightly ignore a query string; every
      // other route must refuse nearly everything, or the fuzzer is not hostile enough.
      const onBusinessRoutes = Object.entries(acceptedBy)
        .filter(([operation]) => !OPERATIONAL.test(operation))
        .reduce((sum, [, count]) => sum + count, 0);
      expect(onBusinessRoutes, 'accepted on business routes').to.be.lessThan(answers.length / 50);
    } finally {
      await events.close();
    }
  });
});
