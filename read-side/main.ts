import { openCache } from '../shared-kernel/cache/open';
import { readConfig, type Env } from '../shared-kernel/config/env';
import { openDocumentStore } from '../shared-kernel/document-store/open';
import { openAccess } from '../shared-kernel/http/auth/access';
import { listen, onShutdownSignal, stopServer } from '../shared-kernel/http/serve';
import { createLogger } from '../shared-kernel/logging/logger';
import type { RunningProcess } from '../shared-kernel/http/serve';
import { wireProcess } from '../shared-kernel/process-wiring';
import type { ProcessOverrides } from '../shared-kernel/tracing/process-tracing';
import { openSearchIndex } from '../shared-kernel/search-index/open';
import { PRODUCT_SEARCH_INDEX, readModelProjections } from '../projections/read-models';
import { createQueryApp } from './app';
import { queryApiConfig } from './config';
import { startCheckpointWatcher } from './consistency/checkpoint-watcher';

/**
 * Composition root of the query API: reads the configuration once, opens the read-model stores
 * (never an event store), serves, and on SIGTERM/SIGINT drains requests, then closes.
 */
export async function main(
  env: Env = process.env,
  overrides: ProcessOverrides = {},
): Promise<RunningProcess> {
  const config = readConfig(env, queryApiConfig);
  const logger = createLogger({
    service: 'query-api',
    level: config.logLevel,
    format: config.logFormat,
  });
  // First: the app and the clients built after this are instrumented.
  const wiring = wireProcess(config, { service: 'query-api', logger }, overrides);
  // Before any store opens: a bad auth setup must stop start-up with nothing opened.
  const access = await openAccess({
    config,
    redisUrl: config.redisUrl,
    logger,
    rateLimitPrefix: 'strata:ratelimit:query:',
    redisBreaker: wiring.redisBreaker,
  });
  const documents = wiring.documentStore(await openDocumentStore(config, logger));
  // Declaring the collections (idempotent, the worker does the same) lets lists answer empty
  // rather than "not declared" when the query API starts before the worker, and gives the
  // checkpoint watcher their live targets to follow.
  const collections = readModelProjections().flatMap((projection) => projection.collections);
  for (const collection of collections) await documents.ensureCollection(collection);
  const search = wiring.searchIndex(await openSearchIndex(config, [PRODUCT_SEARCH_INDEX], logger));
  const cache = wiring.cache(await openCache(config, logger, { keyPrefix: 'strata:query:' }));
  const watcher = await startCheckpointWatcher({
    store: documents,
    logger,
    collections: collections.map((c) => c.name),
  });
  const app = createQueryApp({
    documents,
    search,
    cache,
    watcher,
    logger,
    cacheTtlMs: config.cacheTtlMs,
    minPositionWaitMs: config.minPositionWaitMs,
    access: access.options,
    metrics: wiring.metrics,
    breakers: wiring.breakers,
    tracing: wiring.tracing,
  });
  const { server, port } = await listen(app, config.port);
  const stop = async () => {
    await stopServer(server, config.shutdownTimeoutMs, logger);
    watcher.stop();
    await Promise.all([documents.close(), search.close(), cache.close(), access.close()]);
    await wiring.shutdown();
    logger.info('stopped');
  };
  onShutdownSignal(async (signal) => {
    logger.info('shutting down', { signal });
    await stop();
  });
  logger.info('query API listening', {
    url: `http://localhost:${port}`,
    port,
    documentStore: config.mongoUrl ? 'mongodb' : 'sqlite',
    searchIndex: config.elasticsearchUrl ? 'elasticsearch' : 'sqlite',
    cache: config.redisUrl ? 'redis' : 'in-process',
  });
  return { port, stop };
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`query-api: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
