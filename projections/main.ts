import { readConfig, type Env } from '../shared-kernel/config/env';
import { openDocumentStore } from '../shared-kernel/document-store/open';
import { openEventStore } from '../shared-kernel/event-store/open';
import { listen, onShutdownSignal, stopServer } from '../shared-kernel/http/serve';
import { openIntegrationPublisher } from '../shared-kernel/integration/open';
import { createLogger } from '../shared-kernel/logging/logger';
import { decodePosition } from '../shared-kernel/event-store/sqlite/positions';
import {
  countingEventStore,
  foreignEventCounter,
} from '../shared-kernel/metrics/event-store-metrics';
import { countingPublisher } from '../shared-kernel/metrics/publisher-metrics';
import { processorMetrics } from '../shared-kernel/metrics/processor-metrics';
import { countingCommands } from '../shared-kernel/metrics/command-metrics';
import type { RunningProcess } from '../shared-kernel/http/serve';
import { wireProcess } from '../shared-kernel/process-wiring';
import type { ProcessOverrides } from '../shared-kernel/tracing/process-tracing';
import { openSearchIndex } from '../shared-kernel/search-index/open';
import { domainEventUpcasting, strataStreamPrefixes } from '../write-side/aggregates';
import { createCommandHandler } from '../write-side/command-handling/command-handler';
import { checkLeaseTiming, defaultWorkerId, workerConfig } from './config';
import { createHealthApp } from './health-app';
import { partitionSpecs } from './engine/partitions';
import { allProcessorSpecs } from './processors';
import { ensureLiveSearchTarget } from './processors/search-processor';
import { PRODUCT_SEARCH_INDEX } from './read-models';
import { UsageError } from './cli/cli-action';
import { storeIdentity } from './store-identity';
import { createWorker } from './worker';

/**
 * Composition root of the projection worker: the read models, the Kafka mirror and the saga's
 * host. On SIGTERM/SIGINT every processor finishes the batch in hand, saves its checkpoint, and
 * the process exits 0. `--force` starts it although a checkpoint is past the head of the log.
 */
export async function main(
  env: Env = process.env,
  overrides: ProcessOverrides = {},
  /** The command line when run as a program (`--force`); none when called from code. */
  argv: readonly string[] = [],
): Promise<RunningProcess> {
  const unknown = argv.filter((arg) => arg !== '--force');
  if (unknown.length > 0) {
    throw new UsageError(`unknown argument ${unknown.join(' ')} (the worker takes only --force)`);
  }
  const config = readConfig(env, workerConfig);
  checkLeaseTiming(config);
  const workerId = config.workerId ?? defaultWorkerId(process.pid);
  const logger = createLogger({
    service: 'projections',
    level: config.logLevel,
    format: config.logFormat,
  });
  // First: the clients built after this are instrumented.
  const wiring = wireProcess(config, { service: 'projections', logger }, overrides);
  const { tracing, metrics } = wiring;
  const streamPrefixes = strataStreamPrefixes();
  // Counted: the saga appends through it.
  const eventStore = countingEventStore(
    wiring.eventStore(
      openEventStore(config, logger, {
        streamPrefixes,
        onForeignEvent: foreignEventCounter(metrics),
      }),
    ),
    metrics,
  );
  const store = wiring.documentStore(await openDocumentStore(config, logger));
  const search = wiring.searchIndex(await openSearchIndex(config, [PRODUCT_SEARCH_INDEX], logger));
  await ensureLiveSearchTarget(search, PRODUCT_SEARCH_INDEX.name);
  const publisher = countingPublisher(
    wiring.publisher(openIntegrationPublisher(config, logger)),
    metrics,
  );
  const upcasting = domainEventUpcasting();
  const plainHandler = createCommandHandler({
    store: eventStore,
    upcasting,
    logger,
    snapshotEvery: config.snapshotEvery,
    tracing,
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
    specs: partitionSpecs(
      allProcessorSpecs({ search, publisher, handler, logger, tracing }),
      config.partitions,
    ),
    upcast: (event) => upcasting.upcast(event),
    logger,
    tracing,
    metrics: batches,
    streamPrefixes,
    allowCheckpointsAhead: argv.includes('--force'),
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
    stores: storeIdentity(config),
    logger,
    breakers: wiring.breakers,
  });
  const { server, port } = await listen(app, config.port);
  logger.info('projection worker listening', {
    url: `http://localhost:${port}`,
    port,
    worker: workerId,
  });

  const stop = async () => {
    await stopServer(server, config.shutdownTimeoutMs, logger);
    await worker.stop();
    await Promise.all([publisher.close(), search.close(), store.close(), eventStore.close()]);
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
  main(process.env, {}, process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(
      `projections: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = error instanceof UsageError ? 2 : 1;
  });
}
