import { Client, errors } from '@elastic/elasticsearch';
import { NotFoundError, StoreError, StrataError } from '../../errors';
import type { Logger } from '../../logging/logger';
import { declarationsByName } from '../declaration';
import { prepareOperations } from '../prepare-operations';
import type { IndexDeclaration, SearchDocument, SearchIndex } from '../port';
import { prepareQuery } from '../query';
import { bulkLines, bulkOutcome } from './bulk-body';
import { searchPage, searchRequest } from './search-body';
import { elasticsearchTargets } from './targets';

export interface ElasticsearchIndexOptions {
  url: string;
  declarations: readonly IndexDeclaration[];
  logger?: Logger;
  /** Per-request timeout; a rebuild's large bulks may need more than the default. */
  requestTimeoutMs?: number;
}

/**
 * The production SearchIndex on Elasticsearch 8. Writes through an index name go to its live
 * target and are refreshed before `bulk` resolves (`wait_for`), so a projection's checkpoint
 * never runs ahead of what searches see; writes straight into a target being rebuilt are not
 * refreshed until `swapAlias` makes it live.
 */
export function openElasticsearchIndex(options: ElasticsearchIndexOptions): SearchIndex {
  const declarations = declarationsByName(options.declarations);
  const client = new Client({
    node: options.url,
    requestTimeout: options.requestTimeoutMs ?? 30_000,
  });
  const declared = (name: string): IndexDeclaration => {
    const declaration = declarations.get(name);
    if (!declaration) throw new NotFoundError(`search index ${name} is not declared`);
    return declaration;
  };
  const targets = elasticsearchTargets(client, declared);
  const guarded =
    <A extends unknown[], R>(work: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await work(...args);
      } catch (error) {
        if (error instanceof StrataError) throw error;
        const detail =
          error instanceof errors.ResponseError
            ? `${error.statusCode ?? ''} ${JSON.stringify(error.body?.error?.reason ?? error.message)}`
            : (error as Error).message;
        throw new StoreError(`Elasticsearch ${options.url}: ${detail}`, { cause: error });
      }
    };

  return {
    createTarget: guarded((indexName) => targets.create(indexName)),
    swapAlias: guarded((indexName, target) => targets.swap(indexName, target)),
    rollback: guarded((indexName) => targets.rollback(indexName)),
    dropTarget: guarded((target) => targets.drop(target)),
    aliasState: guarded((indexName) => targets.state(indexName)),

    bulk: guarded(async (name, ops) => {
      const throughAlias = declarations.has(name);
      if (throughAlias && !(await client.indices.existsAlias({ name }))) {
        throw new NotFoundError(`search index ${name} has no live target yet`);
      }
      const declaration = declared(throughAlias ? name : await targets.targetOf(name));
      const prepared = prepareOperations(declaration, ops);
      if (prepared.length === 0) return { applied: 0, ignored: 0 };
      const response = await client.bulk({
        operations: bulkLines(name, declaration, prepared),
        // An alias that vanished must fail the write, not auto-create an index by its name.
        require_alias: throughAlias,
        refresh: throughAlias ? 'wait_for' : false,
      });
      const outcome = bulkOutcome(response, name);
      if (outcome.ignored > 0)
        options.logger?.debug('search bulk: older versions ignored', outcome);
      return outcome;
    }),

    search: guarded(async (indexName, query) => {
      const declaration = declared(indexName);
      const prepared = prepareQuery(declaration, query);
      const response = await client
        .search<{ doc?: SearchDocument }>(searchRequest(indexName, declaration, prepared))
        .catch((error: unknown) => {
          if (error instanceof errors.ResponseError && error.statusCode === 404) {
            throw new NotFoundError(`search index ${indexName} has no live target yet`);
          }
          throw error;
        });
      return searchPage(prepared, response);
    }),

    ping: guarded(async () => {
      await client.ping();
    }),
    close: guarded(() => client.close()),
  };
}
