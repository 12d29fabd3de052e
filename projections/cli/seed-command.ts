import { Option, type Command } from 'commander';
import type { Env } from '../../shared-kernel/config/env';
import { openEventStore } from '../../shared-kernel/event-store/open';
import { newId } from '../../shared-kernel/ids';
import { countingEventStore } from '../../shared-kernel/metrics/event-store-metrics';
import { createMetricsRegistry } from '../../shared-kernel/metrics/registry';
import { domainEventUpcasting } from '../../write-side/aggregates';
import { createCommandHandler } from '../../write-side/command-handling/command-handler';
import { commandDispatcher } from '../../write-side/command-handling/dispatch';
import { readCliConfig } from './cli-config';
import { cliLogger } from './cli-context';
import { formatDuration, note, printJson } from './output';
import { progressMode, progressView } from './progress-view';
import { seedShop, type SeedPhase, type SeedPlan } from './seed/seed-shop';
import { runAction, wholeNumber } from './cli-action';

interface SeedOptions {
  products: number;
  orders: number;
  customers?: number;
  concurrency: number;
  seed: number;
  currency: string;
  json?: boolean;
}

export function registerSeedCommand(program: Command): void {
  program
    .command('seed')
    .description('write a realistic catalog, stock and orders through the command handler')
    .requiredOption(
      '--products <n>',
      'products to create (each gets stock)',
      wholeNumber(1, 1_000_000),
    )
    .option('--orders <n>', 'orders to place', wholeNumber(0, 10_000_000), 0)
    .option(
      '--customers <n>',
      'customers placing them (default: one per 4 orders)',
      wholeNumber(1, 1_000_000),
    )
    .option('--concurrency <n>', 'commands in flight at once', wholeNumber(1, 256), 16)
    .option(
      '--seed <n>',
      'random seed: the same seed gives the same catalog',
      wholeNumber(0, 2 ** 31),
      1,
    )
    .addOption(new Option('--currency <code>', 'ISO 4217 currency of every price').default('EUR'))
    .option('--json', 'print the summary as JSON')
    .action(async (options: SeedOptions, command: Command) => {
      await runAction(command, () => seed(process.env, options));
    });
}

async function seed(env: Env, options: SeedOptions): Promise<void> {
  const config = readCliConfig(env);
  const logger = cliLogger(config);
  const plan: SeedPlan = {
    products: options.products,
    orders: options.orders,
    customers: options.customers ?? Math.max(1, Math.ceil(options.orders / 4)),
    concurrency: options.concurrency,
    seed: options.seed,
    currency: options.currency,
  };
  // Counted, so the summary says how many events the seed really wrote (SKU claims included).
  const metrics = createMetricsRegistry();
  const store = countingEventStore(
    openEventStore({ esdbUrl: config.esdbUrl, dataDir: config.dataDir }, logger),
    metrics,
  );
  const total = plan.products * 2 + plan.orders;
  const progress = progressView(
    { label: 'seed', name: 'seed', unit: 'commands' },
    progressMode(options.json),
  );
  try {
    const handler = createCommandHandler({ store, upcasting: domainEventUpcasting(), logger });
    const done: Record<SeedPhase, number> = { products: 0, stock: 0, orders: 0 };
    const summary = await seedShop(
      {
        dispatch: commandDispatcher(handler),
        newId,
        clock: () => new Date(),
        progress(phase, count) {
          done[phase] = count;
          const sum = done.products + done.stock + done.orders;
          progress.update(sum, total, sum);
        },
      },
      plan,
    );
    progress.finish();
    const appended = await metrics.getSingleMetric('strata_events_appended_total')?.get();
    const events = (appended?.values ?? []).reduce((sum, sample) => sum + sample.value, 0);
    if (options.json) {
      printJson({ ...summary, events });
    } else {
      note(
        `seeded ${summary.products} products with stock and ${summary.orders} orders by ` +
          `${summary.customers} customers: ${events} events in ` +
          `${formatDuration(summary.durationMs / 1000)} (${summary.commandsPerSecond} commands/s)`,
      );
    }
  } finally {
    await store.close();
  }
}
