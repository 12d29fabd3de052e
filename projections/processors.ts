import type { IntegrationPublisher } from '../shared-kernel/integration/port';
import type { Logger } from '../shared-kernel/logging/logger';
import type { SearchIndex } from '../shared-kernel/search-index/port';
import type { Tracing } from '../shared-kernel/tracing/tracing';
import type { CommandHandler } from '../write-side/command-handling/command-handler';
import type { ProcessorSpec } from './engine/processor';
import { kafkaMirrorProcessor } from './processors/kafka-mirror-processor';
import { sagaProcessor } from './processors/saga-processor';
import { searchProcessor } from './processors/search-processor';
import {
  PRODUCT_SEARCH_INDEX,
  PRODUCT_SEARCH_PROCESSOR,
  readModelProjections,
  searchIndexOperation,
} from './read-models';

export interface ProcessorDeps {
  search: SearchIndex;
  publisher: IntegrationPublisher;
  handler: CommandHandler;
  logger: Logger;
  /** The saga's clock (default: the system's). */
  now?: () => Date;
  tracing?: Tracing;
}

/**
 * The read models, each rebuildable. The search one folds like the others and feeds the search
 * index; `searchTarget` points it at a new index target during a rebuild.
 */
export function readModelSpecs(search: SearchIndex, searchTarget?: string): ProcessorSpec[] {
  return readModelProjections().map((projection) =>
    projection.name === PRODUCT_SEARCH_PROCESSOR
      ? searchProcessor({
          projection,
          index: search,
          writeTo: searchTarget ?? PRODUCT_SEARCH_INDEX.name,
          toOperation: searchIndexOperation,
        })
      : { projection, rebuildable: true },
  );
}

/** Every processor the worker runs: the read models, then the two with side effects. */
export function allProcessorSpecs(deps: ProcessorDeps): ProcessorSpec[] {
  return [
    ...readModelSpecs(deps.search),
    kafkaMirrorProcessor(deps.publisher),
    sagaProcessor(deps.handler, deps.logger, { now: deps.now, tracing: deps.tracing }),
  ];
}
