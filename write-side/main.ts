import { createLruCache } from '../shared-kernel/cache/lru';
import { openRedisCache } from '../shared-kernel/cache/redis';
import { readConfig, type Env } from '../shared-kernel/config/env';
import { openAccess } from '../shared-kernel/http/auth/access';
import { listen, onShutdownSignal, stopServer } from '../shared-kernel/http/serve';
import { openEventStore } from '../shared-kernel/event-store/open';
import { createLogger } from '../shared-kernel/logging/logger';
import { countingEventStore } from '../shared-kernel/metrics/event-store-metrics';
import { createMetricsRegistry } from '../shared-kernel/metrics/registry';
import { processTracing, type ProcessOverrides } from '../shared-kernel/tracing/process-tracing';
import { tracedEventStore } from '../shared-kernel/tracing/traced-stores';
import { createCircuitBreakers } from '../shared-kernel/resilience/circuit-breaker';
import {
  DEPENDENCIES,
  guardedCache,
  guardedEventStore,
  REDIS_CALL_TIMEOUT_MS,
  remoteBreaker,
} from '../shared-kernel/resilience/guarded-ports';
import type { RunningProcess } from '../shared-kernel/http/serve';
import { domainEventUpcasting } from './aggregates';
import { createCommandApp } from './api/app';
import { createCommandHandler } from './command-handling/command-handler';
import { commandDispatcher } from './command-handling/dispatch';
import { commandApiConfig } from './config';

/**
 * Composition root of the command API: reads the configuration once, builds the adapters it
 * names, serves, and on SIGTERM/SIGINT stops accepting, lets requests in flight finish (up to
 * STRATA_SHUTDOWN_TIMEOUT_MS), then closes the store and the cache.
 */
export async function main(
  env: Env = process.env,
  overrides: ProcessOverrides = {},
): Promise<RunningProcess> {
  const config = readConfig(env, commandApiConfig);
  const logger = createLogger({
    service: 'command-api',
    level: config.logLevel,
    format: config.logFormat,
  });
  // First: the app and the clients built after this are instrumented.
  const tracing = processTracing(config, { service: 'command-api', logger }, overrides);
  const metrics = createMetricsRegistry();
  const breakers = createCircuitBreakers({ settings: config, registry: metrics, logger });
  const redisBreaker = remoteBreaker(breakers, config.redisUrl, DEPENDENCIES.redis, {
    timeoutMs: REDIS_CALL_TIMEOUT_MS,
  });
  // Before any store opens: a bad auth setup must stop start-up with nothing opened.
  const access = await openAccess({
    config,
    redisUrl: config.redisUrl,
    logger,
    rateLimitPrefix: 'strata:ratelimit:command:',
    redisBreaker,
  });
  const store = countingEventStore(
    tracedEventStore(
      tracing.tracing,
      guardedEventStore(
        remoteBreaker(breakers, config.esdbUrl, DEPENDENCIES.eventStore),
        openEventStore({ esdbUrl: config.esdbUrl, dataDir: config.dataDir }, logger),
      ),
      config.esdbUrl !== undefined,
    ),
    metrics,
  );
  const cache = config.redisUrl
    ? guardedCache(redisBreaker, await openRedisCache({ url: config.redisUrl, logger }))
    : createLruCache();
  const handler = createCommandHandler({
    store,
    upcasting: domainEventUpcasting(),
    logger,
    snapshotEvery: config.snapshotEvery,
    tracing: tracing.tracing,
  });
  const app = createCommandApp({
    dispatch: commandDispatcher(handler),
    store,
    cache,
    logger,
    bodyLimitBytes: config.bodyLimitBytes,
    access: access.options,
    metrics,
    breakers,
  });
  const { server, port } = await listen(app, config.port);
  logger.info('command API listening', {
    url: `http://localhost:${port}`,
    port,
    eventStore: config.esdbUrl ? 'eventstoredb' : 'sqlite',
    cache: config.redisUrl ? 'redis' : 'in-process',
  });
  const stop = async () => {
    await stopServer(server, config.shutdownTimeoutMs, logger);
    await store.close();
    await cache.close();
    await access.close();
    await tracing.shutdown();
    logger.info('stopped');
  };
  onShutdownSignal(async (signal) => {
    logger.info('shutting down', { signal });
    await stop();
  });
  return { port, stop };
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(
      `command-api: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = 1;
  });
}
