// `prnr <command> [args]`: looks the command up in the table, loads it, runs
// it; `prnr help COMMAND` and `prnr COMMAND --help` print its usage. Every
// error ends here, printed as one plain line (the stack only with
// PRNR_DEBUG=1), with exit code 2 for usage errors and 1 otherwise.
// Commands parse their arguments with ./args.ts.
import { errorCode, errorMessage } from '../shared/errors';
import { didYouMean } from './args';
import type { Command } from './command';
import { commands } from './commands/index';
import { EXIT_USAGE, UsageError } from './errors';

const HELP_FLAGS = new Set(['-h', '--help', 'help']);

async function loadCommand(name: string): Promise<Command> {
  const load = commands[name];
  if (!load) throw new UsageError(`unknown command "${name}"${didYouMean(name, Object.keys(commands)) || '; run prnr --help for the list'}`);
  return (await load()).command;
}

async function globalHelp(): Promise<string> {
  const loaded = await Promise.all(Object.keys(commands).map(loadCommand));
  const width = Math.max(...loaded.map((command) => command.name.length));
  const lines = loaded.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`);
  return ['Usage: prnr <command> [options]', '', 'Record, replay and analyse RISC-V Linux virtual machines.', '', 'Commands:', ...lines, '', 'Run prnr help <command> (or prnr <command> --help) for a command\'s options. Set PRNR_DEBUG=1 to see stack traces.'].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  try {
    const [name, ...rest] = argv;
    if (name !== undefined && HELP_FLAGS.has(name) && rest.length > 0) {
      if (rest.length > 1) throw new UsageError(`help takes one command name, got ${rest.join(' ')}`);
      console.log((await loadCommand(rest[0])).usage);
      return 0;
    }
    if (name === undefined || HELP_FLAGS.has(name)) {
      console.log(await globalHelp());
      return name === undefined ? EXIT_USAGE : 0;
    }
    if (name === '--version' || name === '-v') return await (await loadCommand('version')).run([]);
    const command = await loadCommand(name);
    if (rest.some((arg) => arg === '-h' || arg === '--help')) {
      console.log(command.usage);
      return 0;
    }
    return await command.run(rest);
  } catch (err) {
    const debug = process.env.PRNR_DEBUG === '1';
    console.error(`prnr: ${debug && err instanceof Error && err.stack ? err.stack : errorMessage(err)}`);
    return errorCode(err) === 'USAGE' || err instanceof UsageError ? EXIT_USAGE : 1;
  }
}
