import { expect } from 'chai';
import fc from 'fast-check';
import { allPages, position, productDeclaration } from '../contract/contract.fixtures';
import type { IndexOperation, SearchIndex, SearchQuery } from '../port';
import { compareText } from './ordering';
import { openSqliteSearchIndex } from './sqlite-search-index';
import { referenceSearch, type ReferenceCatalogue } from './reference-search.fixtures';
import { queryArb, stepArb } from './search-arbitraries.fixtures';

/** A scenario: batches of writes, each followed by searches; a rebuild swaps in a fresh target. */
const scenarioArb = fc.array(
  fc.record({
    rebuild: fc.boolean(),
    writes: fc.array(stepArb, { minLength: 1, maxLength: 12 }),
    queries: fc.array(queryArb, { minLength: 1, maxLength: 4 }),
  }),
  { minLength: 1, maxLength: 5 },
);

/**
 * The embedded engine keeps columns, text matches and scores in memory and updates them
 * incrementally; a brute-force model over the same documents must give the same items in the
 * same order, the same total and the same facet counts on every page.
 */
describe('SQLite search answers, against a brute-force model', () => {
  let index: SearchIndex;
  before(() => {
    index = openSqliteSearchIndex({ file: ':memory:', declarations: [productDeclaration('p')] });
  });
  after(() => index.close());

  it('gives the same items, order, totals and facets through writes, deletes and rebuilds', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (scenario) => {
        let version = 0;
        const model: ReferenceCatalogue = new Map();
        let target = await freshTarget(index);
        for (const round of scenario) {
          if (round.rebuild) {
            target = await freshTarget(index);
            await index.bulk(
              target,
              upserts(model, () => position(++version)),
            );
          }
          const ops = round.writes.map((step): IndexOperation => {
            if (step.op === 'delete') model.delete(step.id);
            else model.set(step.id, step.doc);
            return { ...step, version: position(++version) };
          });
          await index.bulk(target, ops);
          for (const query of round.queries) await expectSameAnswers(index, model, query);
        }
      }),
      { numRuns: 120 },
    );
  });
});

/** A new live target; the one it replaces is dropped, as a rebuild followed by a cleanup does. */
async function freshTarget(index: SearchIndex): Promise<string> {
  const target = await index.createTarget('p');
  await index.swapAlias('p', target);
  const { previous } = await index.aliasState('p');
  if (previous) await index.dropTarget(previous);
  return target;
}

function upserts(model: ReferenceCatalogue, version: () => string): IndexOperation[] {
  return [...model].map(([id, doc]) => ({ op: 'upsert', id, version: version(), doc }));
}

async function expectSameAnswers(
  index: SearchIndex,
  model: ReferenceCatalogue,
  query: SearchQuery,
) {
  const expected = referenceSearch(model, query);
  const walk = await allPages(index, 'p', query);
  const context = JSON.stringify(query);
  expect(
    walk.totals.every((total) => total === expected.ids.length),
    context,
  ).to.equal(true);
  const first = await index.search('p', query);
  expect(first.facets, context).to.deep.equal(expected.facets);
  if (query.q === '' || query.sort?.kind === 'field') {
    expect(walk.ids, context).to.deep.equal(expected.ids);
    return;
  }
  // Relevance with text: the model knows which documents match, the engine's scores the order.
  expect([...walk.ids].sort(compareText), context).to.deep.equal(
    [...expected.ids].sort(compareText),
  );
  const all = await index.search('p', { ...query, limit: 1000 });
  expect(
    all.hits.map((hit) => hit.id),
    context,
  ).to.deep.equal(walk.ids);
  all.hits.slice(1).forEach((hit, i) => {
    const before = all.hits[i]!;
    const ordered =
      before.score! > hit.score! || (before.score === hit.score && before.id < hit.id);
    expect(ordered, `${context}: ${before.id} before ${hit.id}`).to.equal(true);
  });
}
