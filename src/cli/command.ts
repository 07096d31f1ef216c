// The contract of one `prnr` subcommand: a module in src/cli/commands/<name>.ts
// exporting `command`, registered in src/cli/commands/index.ts.

export interface Command {
  /** The word after `prnr`. */
  name: string;
  /** One line for `prnr --help`. */
  summary: string;
  /** Full usage for `prnr <name> --help`, starting with the synopsis line. */
  usage: string;
  /** Runs with the arguments after the command name; resolves to the exit code. Throw UsageError for bad arguments. */
  run(argv: string[]): Promise<number>;
}
