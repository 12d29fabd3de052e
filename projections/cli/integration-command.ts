import { Option, type Command } from 'commander';
import { readConfig } from '../../shared-kernel/config/env';
import { INTEGRATION_TOPICS } from '../../shared-kernel/integration/port';
import { tailOutbox } from '../../shared-kernel/integration/outbox/outbox-reader';
import { cliConfigSpec } from './cli-config';
import { printJsonLine } from './output';
import { runAction, UsageError, wholeNumber } from './cli-action';

interface TailOptions {
  topic?: string;
  after?: number;
  follow?: boolean;
  limit?: number;
}

/** `strata integration tail`: the embedded outbox's integration events as JSON lines. */
export function registerIntegrationCommand(program: Command): void {
  const integration = program
    .command('integration')
    .description('the integration events published for other systems');

  integration
    .command('tail')
    .description('print the embedded outbox as JSON lines, in publish order')
    .addOption(
      new Option('--topic <topic>', 'only this topic').choices(Object.values(INTEGRATION_TOPICS)),
    )
    .option('--after <seq>', 'only records after this seq', wholeNumber(0, Number.MAX_SAFE_INTEGER))
    .option('--follow', 'keep printing new records until Ctrl-C')
    .option('--limit <n>', 'stop after n records', wholeNumber(1, Number.MAX_SAFE_INTEGER))
    .action(async (options: TailOptions, command: Command) =>
      runAction(command, () => tail(options)),
    );
}

async function tail(options: TailOptions): Promise<void> {
  const config = readConfig(process.env, cliConfigSpec);
  if (config.kafkaBrokers !== undefined) {
    throw new UsageError(
      `KAFKA_BROKERS is set (${config.kafkaBrokers.join(',')}): integration events go to Kafka, ` +
        'not the embedded outbox. Read them with a Kafka consumer, e.g. ' +
        `\`kcat -b ${config.kafkaBrokers[0] ?? 'localhost:9092'} -C -t strata.orders.v1 -f '%k %s\\n'\` ` +
        'or `kafka-console-consumer.sh --bootstrap-server <broker> --topic strata.orders.v1 --from-beginning`',
    );
  }
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  let printed = 0;
  try {
    for await (const record of tailOutbox({
      dataDir: config.dataDir,
      follow: options.follow === true,
      signal: controller.signal,
      ...(options.topic !== undefined ? { topic: options.topic } : {}),
      ...(options.after !== undefined ? { after: options.after } : {}),
    })) {
      printJsonLine(record);
      if (options.limit !== undefined && ++printed >= options.limit) break;
    }
  } finally {
    process.off('SIGINT', stop);
  }
}
