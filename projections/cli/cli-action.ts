import { InvalidArgumentError, type Command } from 'commander';

/**
 * A mistake in what the operator asked for (an unknown processor, a refused operation, a
 * missing confirmation): exit code 2 with a message saying what to do instead.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * Runs a command's work and turns a UsageError into commander's own usage failure, which
 * `runCli` maps to exit 2; every other error propagates and becomes exit 1.
 */
export async function runAction(command: Command, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (error instanceof UsageError) {
      command.error(`${command.name()}: ${error.message}`, {
        exitCode: 2,
        code: 'strata.usage',
      });
    }
    throw error;
  }
}

/** Commander option parser for a whole number in a range, failing as a usage error. */
export function wholeNumber(min: number, max: number) {
  return (raw: string): number => {
    const value = Number(raw);
    if (!/^\d+$/.test(raw.trim()) || value < min || value > max) {
      // Commander reports this as an invalid option value: a usage error, exit 2.
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}, got "${raw}"`);
    }
    return value;
  };
}
