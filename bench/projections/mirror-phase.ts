import type { DocumentStore } from '../../shared-kernel/document-store/port';
import type { IntegrationPublisher } from '../../shared-kernel/integration/port';
import { kafkaMirrorProcessor } from '../../projections/processors/kafka-mirror-processor';
import { measureCatchUp, type CatchUpDeps, type CatchUpFigures } from './runner-catch-up';

export interface MirrorFigures extends CatchUpFigures {
  messages: number;
  messagesPerSecond: number;
}

/**
 * The Kafka mirror over the whole log into `publisher` (the Kafka adapter against the mock
 * broker, or the outbox), through the runner. Each run needs its own document store: the mirror
 * keeps its folded state and checkpoint there, and must start from the beginning.
 */
export async function measureMirror(
  publisher: IntegrationPublisher,
  deps: Omit<CatchUpDeps, 'spec' | 'store'> & { store: DocumentStore },
): Promise<MirrorFigures> {
  let messages = 0;
  // Counts what the real publisher accepted; the publish itself is the adapter's own.
  const counted: IntegrationPublisher = {
    publish: async (batch) => {
      await publisher.publish(batch);
      messages += batch.length;
    },
    ping: () => publisher.ping(),
    close: () => publisher.close(),
  };
  const figures = await measureCatchUp({ ...deps, spec: kafkaMirrorProcessor(counted) });
  return { ...figures, messages, messagesPerSecond: messages / figures.seconds };
}
