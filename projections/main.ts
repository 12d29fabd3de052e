import { readConfig, type Env } from '../shared-kernel/config/env';
import { openDocumentStore } from '../shared-kernel/document-store/open';
import { openEventStore } from '../shared-kernel/event-store/open';
import { listen, onShutdownSignal, stopServer } from '../shared-kernel/http/serve';
import { openIntegrationPublisher } from '../shared-kernel/integration/open';
import { createLogger } from '../shared-kernel/logging/logger';
import { decodePosition } from '../shared-kernel/event-store/sqlite/positions';
import { countingEventStore } from '../shared-kernel/metrics/event-store-metrics';
import { countingPublisher } from '../shared-kernel/metrics/publisher-metrics';
import { processorMetrics } from '../shared-kernel/metrics/processor-metrics';
import { countingCommands } from '../shared-kernel/metrics/command-metrics';
import { createMetricsRegistry } from '../shared-kernel/metrics/registry';
import { openSearchIndex } from '../shared-kernel/search-index/open';
import { domainEventUpcasting } from '../write-side/aggregates';
import { createCommandHandler } from '../write-side/command-handling/command-handler';
import { checkLeaseTiming, defaultWorkerId, workerConfig } from './config';
import { createHealthApp } from './health-app';
import { allProcessorSpecs } from './processors';
import { ensureLiveSearchTarget } from './processors/search-processor';
import { PRODUCT_SEARCH_INDEX } from './read-models';
import { createWorker } from './worker';

/**
 * Composition root of the projection worker: the read models, the Kafka mirror and the saga's
 * host. On SIGTERM/SIGINT every processor finishes the batch in hand, saves its checkpoint, and
 * the process exits 0.
 */
export async function main(env: Env = process.env): Promise<void> {
  const config = readConfig(env, workerConfig);
  checkLeaseTiming(config);
  const workerId = config.workerId ?? defaultWorkerId(process.pid);
  const logger = createLogger({
    service: 'projections',
    level: config.logLevel,
    format: config.logFormat,
  });
  const metrics = createMetricsRegistry();
  // Counted: the saga appends through it.
  const eventStore = countingEventStore(
    openEventStore({ esdbUrl: config.esdbUrl, dataDir: config.dataDir }, logger),
    metrics,
  );
  const store = await openDocumentStore(config, logger);
  const search = await openSearchIndex(config, [PRODUCT_SEARCH_INDEX], logger);
  await ensureLiveSearchTarget(search, PRODUCT_SEARCH_INDEX.name);
  const publisher = countingPublisher(openIntegrationPublisher(config, logger), metrics);
  const upcasting = domainEventUpcasting();
  const plainHandler = createCommandHandler({
    store: eventStore,
    upcasting,
    logger,
    snapshotEvery: config.snapshotEvery,
  });
  // The saga's commands are counted like the command API's.
  const handler = { ...plainHandler, execute: countingCommands(plainHandler.execute, metrics) };
  const batches = processorMetrics(metrics, {
    statuses: () => worker.statuses(),
    // SQLite positions are a dense sequence; EventStoreDB's are log offsets (no number then).
    ...(config.esdbUrl ? {} : { checkpointNumber: (p: string) => decodePosition(p) }),
  });
  const worker = createWorker({
    eventStore,
    store,
    specs: allProcessorSpecs({ search, publisher, handler, logger }),
    upcast: (event) => upcasting.upcast(event),
    logger,
    metrics: batches,
    leases: { workerId, ttlMs: config.leaseTtlMs },
    options: {
      maxSize: config.batchSize,
      maxWaitMs: config.batchWaitMs,
      maxAttempts: config.maxAttempts,
      backoffMs: { initial: 50, max: 5_000 },
      maintenanceIntervalMs: config.heartbeatIntervalMs,
    },
  });
  await worker.start();
  const app = createHealthApp({
    worker,
    pings: {
      eventStore: () => eventStore.ping(),
      documentStore: () => store.ping(),
      searchIndex: () => search.ping(),
      publisher: () => publisher.ping(),
    },
    bounds: { heartbeatMs: config.readyHeartbeatMs, maxLagSeconds: config.readyMaxLagSeconds },
    metrics,
  });
  const { server, port } = await listen(app, config.port);
  logger.info('projection worker listening', {
    url: `http://localhost:${port}`,
    port,
    worker: workerId,
  });

  onShutdownSignal(async (signal) => {
    logger.info('shutting down', { signal });
    await stopServer(server, config.shutdownTimeoutMs, logger);
    await worker.stop();
    await Promise.all([publisher.close(), search.close(), store.close(), eventStore.close()]);
    logger.info('stopped');
  });
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(
      `projections: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = 1;
  });
}
