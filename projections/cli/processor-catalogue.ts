import type { CollectionDeclaration } from '../../shared-kernel/document-store/port';
import type { ProcessorSpec } from '../engine/processor';
import { allProcessorSpecs, readModelSpecs, type ProcessorDeps } from '../processors';
import { PRODUCT_SEARCH_PROCESSOR } from '../read-models/product-search';
import { UsageError } from './cli-action';

export type ProcessorKind = 'read model' | 'side effect';

export interface CatalogueEntry {
  name: string;
  kind: ProcessorKind;
  rebuildable: boolean;
  /** The processor's one state collection: what rebuild, rollback and reset swap. */
  collection: CollectionDeclaration;
  /** True for the processor whose effect writes into the search index (swapped with it). */
  indexesSearch: boolean;
  spec: ProcessorSpec;
}

export interface ProcessorCatalogue {
  entries: CatalogueEntry[];
  /** The entry, or a UsageError listing every name the worker runs. */
  find(name: string): CatalogueEntry;
  /** The processor writing its search documents into `searchTarget` instead of the alias. */
  specWritingTo(name: string, searchTarget: string): ProcessorSpec;
}

/** The processors the worker runs, built the same way the worker builds them. */
export function processorCatalogue(deps: ProcessorDeps): ProcessorCatalogue {
  const entries = allProcessorSpecs(deps).map((spec): CatalogueEntry => {
    const [collection, ...others] = spec.projection.collections;
    if (!collection || others.length > 0) {
      throw new Error(`${spec.projection.name}: the CLI expects exactly one state collection`);
    }
    return {
      name: spec.projection.name,
      kind: spec.rebuildable ? 'read model' : 'side effect',
      rebuildable: spec.rebuildable,
      collection,
      indexesSearch: spec.projection.name === PRODUCT_SEARCH_PROCESSOR,
      spec,
    };
  });
  const names = () => entries.map((e) => e.name).join(', ');
  return {
    entries,
    find(name) {
      const entry = entries.find((e) => e.name === name);
      if (!entry)
        throw new UsageError(`unknown processor "${name}"; the processors are: ${names()}`);
      return entry;
    },
    specWritingTo(name, searchTarget) {
      const spec = readModelSpecs(deps.search, searchTarget).find(
        (s) => s.projection.name === name,
      );
      if (!spec) throw new UsageError(`${name} is not a rebuildable read model`);
      return spec;
    },
  };
}
