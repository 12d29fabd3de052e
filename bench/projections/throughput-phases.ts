import path from 'node:path';
import { openSqliteDocumentStore } from '../../shared-kernel/document-store/sqlite/sqlite-document-store';
import { openKafkaPublisher } from '../../shared-kernel/integration/kafka/kafka-publisher';
import { openOutboxPublisher } from '../../shared-kernel/integration/outbox/outbox-publisher';
import type { IntegrationPublisher } from '../../shared-kernel/integration/port';
import { kcatInstalled, startKafkaMockBroker } from '../../test/support/kafka-mock-broker';
import { record } from '../support/report';
import { runnerOptions, type BenchContext } from './bench-context';
import { measureLag } from './lag-phase';
import { measureMirror } from './mirror-phase';

/** Messages/s, to the broker and to the outbox alike. */
const MIRROR_GOAL = 40_000;
const LAG_P99_GOAL_MS = 50;

/** The Kafka mirror over the whole log, to the mock broker (when kcat is there) and the outbox. */
export async function mirrorPhases(context: BenchContext): Promise<void> {
  if (kcatInstalled()) {
    const broker = await startKafkaMockBroker();
    try {
      const publisher = openKafkaPublisher({
        brokers: broker.brokers,
        // The mock broker cannot serve InitProducerId, nor hold more than one copy (one broker).
        idempotent: false,
        topicSettings: { replicationFactor: 1, minInsyncReplicas: 1 },
        logger: context.logger,
      });
      await mirrorInto('Kafka (kcat mock broker)', publisher, context);
    } finally {
      await broker.stop();
    }
  } else {
    const note = 'skipped: kcat is not installed (apt-get install kcat), so no mock broker';
    context.report.parameters.kafkaMirror = note;
    process.stdout.write(`kafka mirror -> Kafka: ${note}\n`);
  }
  const outbox = openOutboxPublisher({ dataDir: context.dataDir, fileName: 'bench-outbox.db' });
  await mirrorInto('outbox (SQLite)', outbox, context);
}

async function mirrorInto(
  destination: string,
  publisher: IntegrationPublisher,
  context: BenchContext,
): Promise<void> {
  const file = path.join(context.dataDir, `mirror-${destination.split(' ')[0]}.db`);
  const store = openSqliteDocumentStore({ file });
  try {
    const figures = await measureMirror(publisher, {
      ...context,
      store,
      options: runnerOptions(context.batchSize),
    });
    record(context.report, {
      name: `kafka mirror -> ${destination}, ${figures.messages} messages`,
      value: figures.messagesPerSecond,
      unit: 'messages/s',
      goal: { atLeast: MIRROR_GOAL },
    });
    record(context.report, {
      name: `  events/s, mirror -> ${destination}`,
      value: figures.perSecond,
      unit: `events/s (${figures.events} events)`,
    });
    record(context.report, {
      name: `  peak RSS, mirror -> ${destination}`,
      value: figures.peakRssMb,
      unit: 'MB',
    });
  } finally {
    await publisher.close();
    await store.close();
  }
}

/** Lag from append to the products read model under a steady command rate. */
export async function lagPhase(
  context: BenchContext & { products: number; rate: number; seconds: number },
): Promise<void> {
  const figures = await measureLag({
    ...context,
    options: runnerOptions(1_000),
    commandsPerSecond: context.rate,
  });
  const { report } = context;
  const at = `at ${context.rate} commands/s`;
  record(report, {
    name: `commands issued ${at} for ${context.seconds} s`,
    value: figures.achievedPerSecond,
    unit: `commands/s (${figures.commands} ReceiveStock)`,
  });
  const lag = figures.appendToReadModel;
  record(report, {
    name: `lag append -> products read model p50, ${at}`,
    value: lag.p50,
    unit: 'ms',
  });
  record(report, {
    name: `lag append -> products read model p99, ${at}`,
    value: lag.p99,
    unit: `ms (max ${lag.max.toFixed(1)} ms)`,
    goal: { atMost: LAG_P99_GOAL_MS },
  });
  const whole = figures.commandToReadModel;
  record(report, {
    name: `  command issued -> read model p50 / p99`,
    value: whole.p50,
    unit: `ms / ${whole.p99.toFixed(1)} ms`,
  });
  record(report, {
    name: `  command (load, decide, append) p50 / p99`,
    value: figures.append.p50,
    unit: `ms / ${figures.append.p99.toFixed(1)} ms`,
  });
}
