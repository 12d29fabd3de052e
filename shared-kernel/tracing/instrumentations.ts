import { isBuiltin } from 'node:module';
import type { InstrumentationBase } from '@opentelemetry/instrumentation';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { KafkaJsInstrumentation } from '@opentelemetry/instrumentation-kafkajs';
import { MongoDBInstrumentation } from '@opentelemetry/instrumentation-mongodb';

/**
 * The OpenTelemetry instrumentations for the clients Strata calls (spans for our own code, the
 * SQLite stores and the decider, come from `Tracing.inSpan`). Elasticsearch's client makes its
 * own spans through @opentelemetry/api once a provider is registered. No http instrumentation:
 * the APIs' server spans are Strata's own (`requestSpans`), and no Strata process makes an
 * outgoing HTTP call worth a span (the OTLP export itself is never traced).
 */
export function strataInstrumentations(): InstrumentationBase[] {
  return [
    new IORedisInstrumentation({ requireParentSpan: true }),
    new MongoDBInstrumentation({ requireParentSpan: true }),
    new KafkaJsInstrumentation(),
  ];
}

/**
 * An instrumentation patches a library as it is first required. A composition root has already
 * imported express, ioredis, ... when it starts tracing, so each module already loaded is
 * required once more: the (new) hook sees it and patches the exports in place, which every
 * earlier importer shares. Anything built afterwards (the app, clients) is then instrumented.
 */
export function instrumentLoadedModules(instrumentations: InstrumentationBase[]): void {
  for (const instrumentation of instrumentations) {
    for (const definition of instrumentation.getModuleDefinitions()) {
      for (const name of [definition.name, ...definition.files.map((file) => file.name)]) {
        // A require, not an import: the point is to pass through the hook again at run time.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        if (isBuiltin(name) || isLoaded(name)) require(name);
      }
    }
  }
}

function isLoaded(name: string): boolean {
  try {
    return require.cache[require.resolve(name)] !== undefined;
  } catch {
    return false;
  }
}
