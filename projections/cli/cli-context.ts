import type { Env } from '../../shared-kernel/config/env';
import { openDocumentStore } from '../../shared-kernel/document-store/open';
import type { DocumentStore } from '../../shared-kernel/document-store/port';
import type { RecordedEvent } from '../../shared-kernel/events/envelope';
import { openEventStore } from '../../shared-kernel/event-store/open';
import type { EventStore } from '../../shared-kernel/event-store/port';
import { openIntegrationPublisher } from '../../shared-kernel/integration/open';
import type { IntegrationPublisher } from '../../shared-kernel/integration/port';
import { createLogger, type Logger } from '../../shared-kernel/logging/logger';
import { startTracing } from '../../shared-kernel/tracing/start';
import type { Tracing } from '../../shared-kernel/tracing/tracing';
import { openSearchIndex } from '../../shared-kernel/search-index/open';
import type { SearchIndex } from '../../shared-kernel/search-index/port';
import { domainEventUpcasting, strataStreamPrefixes } from '../../write-side/aggregates';
import { createCommandHandler } from '../../write-side/command-handling/command-handler';
import { PRODUCT_SEARCH_INDEX } from '../read-models/product-search';
import { readCliConfig, type CliConfig } from './cli-config';
import { processorCatalogue, type ProcessorCatalogue } from './processor-catalogue';

/** Everything a CLI command works with, opened once per invocation from one config read. */
export interface CliContext {
  config: CliConfig;
  logger: Logger;
  eventStore: EventStore;
  store: DocumentStore;
  search: SearchIndex;
  upcast: (event: RecordedEvent) => RecordedEvent;
  processors: ProcessorCatalogue;
  /** On with the OTEL_* variables: a rebuild is one span with its counts. */
  tracing: Tracing;
}

export interface CliContextOptions {
  /**
   * Only `reset` of the Kafka mirror publishes (the first event's message, see start-over.ts);
   * every other command gets a publisher that refuses, so no code path of the CLI can re-publish
   * by accident.
   */
  publishes?: boolean;
}

/** The CLI's composition root: reads config, opens the stores, runs `work`, closes everything. */
export async function withCliContext<T>(
  env: Env,
  work: (context: CliContext) => Promise<T>,
  options: CliContextOptions = {},
): Promise<T> {
  const config = readCliConfig(env);
  const logger = cliLogger(config);
  const closers: Array<() => Promise<void>> = [];
  const tracing = startTracing(config, { service: 'strata-cli', logger });
  // Last to close: the spans of the work are exported once everything else is done.
  closers.push(() => tracing.shutdown());
  try {
    const eventStore = openEventStore(config, logger, { streamPrefixes: strataStreamPrefixes() });
    closers.push(() => eventStore.close());
    const store = await openDocumentStore(config, logger);
    closers.push(() => store.close());
    const search = await openSearchIndex(config, [PRODUCT_SEARCH_INDEX], logger);
    closers.push(() => search.close());
    const publisher = options.publishes ? openIntegrationPublisher(config, logger) : refusing;
    closers.push(() => publisher.close());
    const upcasting = domainEventUpcasting();
    const handler = createCommandHandler({ store: eventStore, upcasting, logger });
    const processors = processorCatalogue({ search, publisher, handler, logger });
    const upcast = (event: RecordedEvent) => upcasting.upcast(event);
    const context = { config, logger, eventStore, store, search, upcast, processors, tracing };
    return await work(context);
  } finally {
    for (const close of closers.reverse()) await close().catch(() => undefined);
  }
}

/** Logs go to stderr, so stdout stays clean for tables and JSON; info-level store chatter is hidden. */
export function cliLogger(config: Pick<CliConfig, 'logLevel' | 'logFormat'>): Logger {
  return createLogger({
    service: 'strata-cli',
    level: config.logLevel === 'debug' ? 'debug' : 'warn',
    format: config.logFormat,
    stream: process.stderr,
  });
}

const refusing: IntegrationPublisher = {
  publish: () => Promise.reject(new Error('the operations CLI never publishes integration events')),
  ping: () => Promise.resolve(),
  close: () => Promise.resolve(),
};
