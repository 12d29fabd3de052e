import type { Command } from 'commander';
import { loadDeadLetters, requestOnDeadLetters } from '../engine/dead-letter-store';
import { DEAD_LETTERS, type DeadLetter } from '../engine/dead-letters';
import { awaitOutcomes, type LetterReport } from './dead-letter-outcomes';
import { withCliContext, type CliContext } from './cli-context';
import { note, printJson, printTable } from './output';
import { runAction, wholeNumber } from './cli-action';

interface Filter {
  processor?: string;
  stream?: string;
}

interface RequestOptions extends Filter {
  wait: number;
  json?: boolean;
}

/** `strata dead-letters list|retry|skip`: the streams a processor parked, and releasing them. */
export function registerDeadLettersCommand(program: Command): void {
  const deadLetters = program
    .command('dead-letters')
    .description('streams a processor parked on a failing event; retry or skip them');

  deadLetters
    .command('list')
    .description('every parked stream, with the failing event and its error')
    .option('--processor <name>', 'only this processor')
    .option('--json', 'print JSON')
    .action(async (options: Filter & { json?: boolean }, command: Command) =>
      runAction(command, () =>
        withCliContext(process.env, async (context) => {
          const letters = await lettersMatching(context, options);
          if (options.json) return printJson(letters);
          if (letters.length === 0) return note('no parked streams');
          printTable(
            [
              'PROCESSOR',
              'STREAM',
              'REVISION',
              'EVENT',
              'ATTEMPTS',
              'PARKED AT',
              'REQUEST',
              'ERROR',
            ],
            letters.map((l) => [
              l.processor,
              l.streamId,
              String(l.revision),
              l.eventType,
              String(l.attempts),
              l.parkedAt,
              l.request ?? '',
              l.error.slice(0, 100),
            ]),
          );
        }),
      ),
    );

  const wait = [
    '--wait <seconds>',
    'how long to wait for the worker to act (0: just mark)',
  ] as const;
  deadLetters
    .command('retry')
    .description('ask the worker to replay the held events of parked streams, and report')
    .option('--processor <name>', 'only this processor')
    .option('--stream <id>', 'only this stream')
    .option(...wait, wholeNumber(0, 3600), 10)
    .option('--json', 'print the outcome per letter as JSON')
    .action(async (options: RequestOptions, command: Command) =>
      runAction(command, () => request('retry', options)),
    );

  deadLetters
    .command('skip')
    .description('ask the worker to drop the failing event of one stream and replay the rest')
    .requiredOption('--processor <name>', 'the processor')
    .requiredOption('--stream <id>', 'the stream')
    .option(...wait, wholeNumber(0, 3600), 10)
    .option('--json', 'print the outcome as JSON')
    .action(async (options: RequestOptions, command: Command) =>
      runAction(command, () => request('skip', options)),
    );
}

async function lettersMatching(context: CliContext, filter: Filter): Promise<DeadLetter[]> {
  if (filter.processor !== undefined) context.processors.find(filter.processor);
  await context.store.ensureCollection(DEAD_LETTERS);
  const letters = await loadDeadLetters(context.store, filter.processor);
  return letters.filter((l) => filter.stream === undefined || l.streamId === filter.stream);
}

/**
 * Marks the letters, then (unless --wait 0) waits for the running worker to act on them: the
 * CLI never replays events itself, so the worker's own fold and checkpoint stay the only writer.
 */
async function request(kind: 'retry' | 'skip', options: RequestOptions) {
  await withCliContext(process.env, async (context) => {
    const marked = await lettersMatching(context, options);
    if (marked.length === 0) {
      note('no parked stream matches; nothing to do (`strata dead-letters list` shows them all)');
      return;
    }
    await requestOnDeadLetters(
      context.store,
      kind,
      {
        ...(options.processor ? { processor: options.processor } : {}),
        ...(options.stream ? { streamId: options.stream } : {}),
      },
      new Date(),
    );
    note(`${kind} requested for ${marked.length} parked stream(s)`);
    if (options.wait === 0) return;
    const reports = await awaitOutcomes(context.store, marked, options.wait * 1000);
    if (options.json) printJson(reports);
    else printReports(reports, options.wait);
    if (reports.some((r) => r.outcome !== 'released')) process.exitCode = 1;
  });
}

function printReports(reports: readonly LetterReport[], waitSeconds: number): void {
  printTable(
    ['PROCESSOR', 'STREAM', 'REVISION', 'OUTCOME', 'ERROR'],
    reports.map((r) => [r.processor, r.streamId, String(r.revision), r.outcome, r.error ?? '']),
  );
  if (reports.some((r) => r.outcome === 'pending')) {
    note(
      `still pending after ${waitSeconds}s: is the worker running? (\`strata projections status\`); ` +
        'the request stays marked and the worker acts on it when it runs',
    );
  }
  if (reports.some((r) => r.outcome === 'failed-again')) {
    note(
      'failed again: fix the cause and retry, or skip the failing event with `dead-letters skip`',
    );
  }
}
