import { Client, errors, type ClientOptions } from '@elastic/elasticsearch';
import { withoutCredentials } from '../../config/redact';
import { ConfigError, NotFoundError } from '../../errors';
import type { Logger } from '../../logging/logger';
import { declarationsByName } from '../declaration';
import { prepareOperations } from '../prepare-operations';
import type { IndexDeclaration, SearchDocument, SearchIndex } from '../port';
import { prepareQuery } from '../query';
import { bulkLines, bulkOutcome } from './bulk-body';
import { mapElasticsearchError } from './elasticsearch-errors';
import { searchPage, searchRequest } from './search-body';
import { elasticsearchTargets } from './targets';

export interface ElasticsearchIndexOptions {
  /** A node URL (`ELASTICSEARCH_URL`, credentials allowed), or else... */
  url?: string;
  /** ...an Elastic Cloud deployment id (`ELASTICSEARCH_CLOUD_ID`). */
  cloudId?: string;
  declarations: readonly IndexDeclaration[];
  /** An API key (`ELASTICSEARCH_API_KEY`, the encoded form); else the URL's user, if any. */
  apiKey?: string;
  /** PEM of the CA that signed the cluster's certificate (`ELASTICSEARCH_CA_FILE`). */
  ca?: string;
  /** Copies of each live target (`ELASTICSEARCH_REPLICAS`); rebuild targets fill with none. */
  replicas?: number;
  logger?: Logger;
  /** Per-request timeout; a rebuild's large bulks may need more than the default. */
  requestTimeoutMs?: number;
}

/**
 * The production SearchIndex on Elasticsearch 8. Writes are not refreshed before `bulk`
 * resolves (a `wait_for` per bulk caps live indexing near one batch a second); readers that
 * need a position visible call `refresh`. Writes straight into a target being rebuilt become
 * visible when `swapAlias` makes it live.
 */
export function openElasticsearchSearchIndex(options: ElasticsearchIndexOptions): SearchIndex {
  const declarations = declarationsByName(options.declarations);
  const where = options.url ? withoutCredentials(options.url) : 'Elastic Cloud';
  const client = createClient(options, where);
  const declared = (name: string): IndexDeclaration => {
    const declaration = declarations.get(name);
    if (!declaration) throw new NotFoundError(`search index ${name} is not declared`);
    return declaration;
  };
  const targets = elasticsearchTargets(client, declared, {
    replicas: options.replicas ?? 1,
    replicaWaitMs: 30_000,
    ...(options.logger ? { logger: options.logger } : {}),
  });
  const guarded =
    <A extends unknown[], R>(work: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await work(...args);
      } catch (error) {
        throw mapElasticsearchError(error, where);
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

    refresh: guarded(async (indexName) => {
      declared(indexName);
      await client.indices.refresh({ index: indexName });
    }),

    ping: guarded(async () => {
      // Bounded: `/readyz` must answer even when the node never does.
      await client.ping({}, { requestTimeout: 2_000, maxRetries: 0 });
    }),
    close: guarded(() => client.close()),
  };
}

/** A node or cloud id the client cannot use is a configuration error naming the variable. */
function createClient(options: ElasticsearchIndexOptions, where: string): Client {
  try {
    return new Client(clientOptions(options));
  } catch (error) {
    const variable = options.url ? 'ELASTICSEARCH_URL' : 'ELASTICSEARCH_CLOUD_ID';
    throw new ConfigError(`${variable}: ${where} cannot be used: ${(error as Error).message}`);
  }
}

function clientOptions(options: ElasticsearchIndexOptions): ClientOptions {
  return {
    ...(options.url ? { node: options.url } : { cloud: { id: options.cloudId ?? '' } }),
    ...(options.apiKey ? { auth: { apiKey: options.apiKey } } : {}),
    ...(options.ca ? { tls: { ca: options.ca } } : {}),
    requestTimeout: options.requestTimeoutMs ?? 30_000,
    // The projection runner retries a failed batch itself, with backoff and without limit.
    maxRetries: 1,
  };
}
