#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { registerDeadLettersCommand } from './dead-letters-command';
import { registerIntegrationCommand } from './integration-command';
import { registerProjectionsCommand } from './projections-command';
import { registerAuditCommand } from './audit-command';
import { registerRunCommand } from './run-command';
import { registerSeedCommand } from './seed-command';

/**
 * `strata`: the operations CLI. Exit codes: 0 done, 1 failed, 2 usage (with what to do).
 * Each command lives in its own module and registers itself here.
 */
export function buildProgram(): Command {
  const program = new Command('strata')
    .description('Strata operations: run the system, projections, audit, integration events')
    .version(packageVersion(), '-V, --version', 'print the version of Strata')
    // Program options only before a command: `audit state ... --version 3` is the command's.
    .enablePositionalOptions()
    .showHelpAfterError('(run `strata --help` for usage)')
    .exitOverride();
  registerRunCommand(program);
  registerAuditCommand(program);
  registerProjectionsCommand(program);
  registerDeadLettersCommand(program);
  registerIntegrationCommand(program);
  registerSeedCommand(program);
  return program;
}

/** The package's version, from the package.json beside dist/ (in the image too). */
function packageVersion(): string {
  const file = path.join(__dirname, '..', '..', '..', 'package.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

export async function runCli(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are not failures; every other commander error is a usage error.
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return 0;
      return 2;
    }
    process.stderr.write(`strata: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

if (require.main === module) {
  void runCli(process.argv).then((code) => {
    process.exitCode = code;
  });
}
