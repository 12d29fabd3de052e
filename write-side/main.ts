import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLruCache } from '../shared-kernel/cache/lru';
import type { Cache } from '../shared-kernel/cache/port';
import { openRedisCache } from '../shared-kernel/cache/redis';
import { readConfig, type Env } from '../shared-kernel/config/env';
import { openAccess, type OpenedAccess } from '../shared-kernel/http/auth/access';
import { openEventStore } from '../shared-kernel/event-store/open';
import type { EventStore } from '../shared-kernel/event-store/port';
import { createLogger, type Logger } from '../shared-kernel/logging/logger';
import { countingEventStore } from '../shared-kernel/metrics/event-store-metrics';
import { createMetricsRegistry } from '../shared-kernel/metrics/registry';
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
export async function main(env: Env = process.env): Promise<void> {
  const config = readConfig(env, commandApiConfig);
  const logger = createLogger({
    service: 'command-api',
    level: config.logLevel,
    format: config.logFormat,
  });
  // Before any store opens: a bad auth setup must stop start-up with nothing opened.
  const access = await openAccess({
    config,
    redisUrl: config.redisUrl,
    logger,
    rateLimitPrefix: 'strata:ratelimit:command:',
  });
  const metrics = createMetricsRegistry();
  const store = countingEventStore(
    openEventStore({ esdbUrl: config.esdbUrl, dataDir: config.dataDir }, logger),
    metrics,
  );
  const cache = config.redisUrl
    ? await openRedisCache({ url: config.redisUrl, logger })
    : createLruCache();
  const handler = createCommandHandler({ store, upcasting: domainEventUpcasting(), logger });
  const app = createCommandApp({
    dispatch: commandDispatcher(handler),
    store,
    cache,
    logger,
    bodyLimitBytes: config.bodyLimitBytes,
    access: access.options,
    metrics,
  });
  const server = await listen(app, config.port);
  const { port } = server.address() as AddressInfo;
  logger.info('command API listening', {
    url: `http://localhost:${port}`,
    port,
    eventStore: config.esdbUrl ? 'eventstoredb' : 'sqlite',
    cache: config.redisUrl ? 'redis' : 'in-process',
  });
  const stop = (signal: string) =>
    void shutdown(
      { server, store, cache, access, logger, timeoutMs: config.shutdownTimeoutMs },
      signal,
    );
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

function listen(app: ReturnType<typeof createCommandApp>, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port);
    server.once('listening', () => resolve(server));
    server.once('error', reject);
  });
}

interface Running {
  server: Server;
  store: EventStore;
  cache: Cache;
  access: OpenedAccess;
  logger: Logger;
  timeoutMs: number;
}

async function shutdown(running: Running, signal: string): Promise<void> {
  const { server, logger } = running;
  logger.info('shutting down', { signal });
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // Idle keep-alive sockets would hold close() open; busy ones finish their request first.
  server.closeIdleConnections();
  const timer = setTimeout(() => {
    logger.warn('requests still running at the shutdown timeout; closing their connections');
    server.closeAllConnections();
  }, running.timeoutMs);
  await closed;
  clearTimeout(timer);
  await running.store.close();
  await running.cache.close();
  await running.access.close();
  logger.info('stopped');
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(
      `command-api: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = 1;
  });
}
