import { readConfig, type Env } from '../shared-kernel/config/env';
import { openAccess } from '../shared-kernel/http/auth/access';
import { listen, onShutdownSignal, stopServer } from '../shared-kernel/http/serve';
import { openEventStore } from '../shared-kernel/event-store/open';
import { openIdempotencyStore } from '../shared-kernel/idempotency/open';
import { createLogger } from '../shared-kernel/logging/logger';
import { countingEventStore } from '../shared-kernel/metrics/event-store-metrics';
import type { RunningProcess } from '../shared-kernel/http/serve';
import { wireProcess } from '../shared-kernel/process-wiring';
import type { ProcessOverrides } from '../shared-kernel/tracing/process-tracing';
import { domainEventUpcasting, strataStreamPrefixes } from './aggregates';
import { createCommandApp } from './api/app';
import { createCommandHandler } from './command-handling/command-handler';
import { commandDispatcher } from './command-handling/dispatch';
import { commandApiConfig } from './config';

/**
 * Composition root of the command API: reads the configuration once, builds the adapters it
 * names, serves, and on SIGTERM/SIGINT stops accepting, lets requests in flight finish (up to
 * STRATA_SHUTDOWN_TIMEOUT_MS), then closes the stores.
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
  const wiring = wireProcess(config, { service: 'command-api', logger }, overrides);
  const { metrics } = wiring;
  // Before any store opens: a bad auth setup must stop start-up with nothing opened.
  const access = await openAccess({
    config,
    redisUrl: config.redisUrl,
    logger,
    rateLimitPrefix: 'strata:ratelimit:command:',
    redisBreaker: wiring.redisBreaker,
  });
  const store = countingEventStore(
    wiring.eventStore(openEventStore(config, logger, { streamPrefixes: strataStreamPrefixes() })),
    metrics,
  );
  const idempotency = wiring.idempotency(await openIdempotencyStore(config, logger));
  const handler = createCommandHandler({
    store,
    upcasting: domainEventUpcasting(),
    logger,
    snapshotEvery: config.snapshotEvery,
    tracing: wiring.tracing,
  });
  const app = createCommandApp({
    dispatch: commandDispatcher(handler),
    store,
    idempotency,
    logger,
    bodyLimitBytes: config.bodyLimitBytes,
    access: access.options,
    metrics,
    breakers: wiring.breakers,
    tracing: wiring.tracing,
  });
  const { server, port } = await listen(app, config.port);
  logger.info('command API listening', {
    url: `http://localhost:${port}`,
    port,
    eventStore: config.esdbUrl ? 'eventstoredb' : 'sqlite',
    idempotencyKeys: config.redisUrl ? 'redis' : 'sqlite',
  });
  const stop = async () => {
    await stopServer(server, config.shutdownTimeoutMs, logger);
    await store.close();
    await idempotency.close();
    await access.close();
    await wiring.shutdown();
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
