// Command lines for every prnr command. A command declares its options once,
// in a table; the table drives both the parser and the "Options:" section of
// its --help. Every mistake is one plain sentence that names the command's
// --help: an unknown option with the nearest known one ("did you mean
// --jobs?"), a missing value, a value given to a flag, an unexpected argument.
// A string option takes the next argument as its value even when that starts
// with "-" (`--tick -5` reaches the tick parser, which says what a tick is),
// unless it is one of the command's own options (`--cmd --image x` lacks a value).
import { errorCode, errorMessage } from '../shared/errors';
import { parseTick, type Tick } from '../shared/tick';
import { UsageError } from './errors';

export interface OptionSpec {
  type: 'string' | 'boolean';
  /** One letter: `-o FILE` for `--output FILE`. */
  short?: string;
  /** May be given more than once; its value is then an array, in order. */
  multiple?: boolean;
  /** The value's placeholder in --help (string options), e.g. "N" or "FILE". */
  arg?: string;
  /** What it does, for --help; "\n" starts a continuation line. */
  help: string;
}

export type OptionTable = Record<string, OptionSpec>;

type ValueOf<S extends OptionSpec> = S['type'] extends 'boolean' ? boolean : string;
export type OptionValues<T extends OptionTable> = {
  [K in keyof T]?: T[K]['multiple'] extends true ? ValueOf<T[K]>[] : ValueOf<T[K]>;
};

export interface ParsedArgs<T extends OptionTable> {
  values: OptionValues<T>;
  positionals: string[];
}

/** Edit distance counting insertions, deletions, substitutions and swaps of two neighbours ("tikc" is 1 from "tick"). */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** The candidate `word` was most likely meant to be: the one it is a prefix of, or the nearest within a third of its length; undefined if none is close. */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
  const prefixed = candidates.filter((c) => c.startsWith(word));
  if (word.length >= 2 && prefixed.length === 1) return prefixed[0];
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(word.length / 3)) + 1;
  for (const candidate of candidates) {
    const d = editDistance(word, candidate);
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}

/** "; did you mean X?" or nothing. */
export function didYouMean(word: string, candidates: readonly string[], show: (candidate: string) => string = (c) => c): string {
  const guess = nearest(word, candidates);
  return guess === undefined ? '' : `; did you mean ${show(guess)}?`;
}

/**
 * Parses `argv` (the arguments after the command name) against `options`.
 * Throws UsageError, in plain words, for anything the table does not allow;
 * positionals are allowed only if `positionals` is true.
 */
export function parseCommandArgs<const T extends OptionTable>(command: string, argv: readonly string[], options: T, { positionals: allowPositionals = false } = {}): ParsedArgs<T> {
  const help = `run prnr ${command} --help for its options`;
  const noArguments = (got: string) => new UsageError(names.length === 0 ? `${command} takes no arguments, got ${JSON.stringify(got)}` : `${command} takes no arguments besides its options, got ${JSON.stringify(got)}; ${help}`);
  const names = Object.keys(options);
  const byShort = new Map(names.filter((n) => options[n].short).map((n) => [options[n].short!, n]));
  /** The option an argument names (`--name`, `--name=v`, `-x`, `-xVALUE`), if it is one of ours. */
  const optionOf = (arg: string): string | undefined => (arg.startsWith('--') ? names.find((n) => arg === `--${n}` || arg.startsWith(`--${n}=`)) : arg.length >= 2 && arg[0] === '-' ? byShort.get(arg[1]) : undefined);
  const values: Record<string, string | boolean | Array<string | boolean>> = {};
  const positionals: string[] = [];
  const set = (name: string, value: string | boolean) => {
    const spec = options[name];
    if (spec.multiple) {
      ((values[name] ??= []) as Array<string | boolean>).push(value);
      return;
    }
    if (name in values) throw new UsageError(`--${name} is given twice; ${command} takes one`);
    values[name] = value;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      if (!allowPositionals && i + 1 < argv.length) throw noArguments(argv[i + 1]);
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg.length < 2 || arg[0] !== '-') {
      if (!allowPositionals) throw noArguments(arg);
      positionals.push(arg);
      continue;
    }
    const name = optionOf(arg);
    if (name === undefined) {
      const given = arg.startsWith('--') ? arg.split('=')[0] : arg.slice(0, 2);
      const guess = arg.startsWith('--') ? didYouMean(given.slice(2), names, (n) => `--${n}`) : '';
      throw new UsageError(`${command} has no option ${given}${guess || `; ${help}`}`);
    }
    const spec = options[name];
    const flag = `--${name}`;
    const written = arg.startsWith('--') ? flag : `-${spec.short}`;
    // The value written in the same argument: --name=VALUE, -xVALUE or -x=VALUE.
    const inline = arg.startsWith('--') ? (arg.length > flag.length ? arg.slice(flag.length + 1) : undefined) : arg.length > 2 ? arg.slice(arg[2] === '=' ? 3 : 2) : undefined;
    if (spec.type === 'boolean') {
      if (inline !== undefined) throw new UsageError(`${written} is a switch and takes no value, got ${JSON.stringify(inline)}`);
      set(name, true);
      continue;
    }
    if (inline !== undefined) {
      set(name, inline);
      continue;
    }
    const next = argv[i + 1];
    if (next === undefined || next === '--' || optionOf(next) !== undefined) throw new UsageError(`${written} needs a value${spec.arg ? ` (${written} ${spec.arg})` : ''}`);
    set(name, next);
    i++;
  }
  return { values: values as OptionValues<T>, positionals };
}

/** A tick given on the command line (underscores allowed as digit separators: 20_000_000). */
export function tickOption(flag: string, text: string): Tick {
  if (/^-\d/.test(text)) throw new UsageError(`--${flag}: ticks count up from 0, so ${text} is not one`);
  try {
    return parseTick(text.replace(/_/g, ''));
  } catch (err) {
    if (errorCode(err) === 'BAD_TICK') throw new UsageError(`--${flag}: ${errorMessage(err)}`);
    throw err;
  }
}

/** An address range given as ADDR:LEN (hex or decimal, underscores allowed), LEN at most `maxLength` bytes. */
export function rangeOption(flag: string, text: string, maxLength = 1 << 20): { addr: bigint; length: number } {
  const m = /^(0x[0-9a-fA-F]+|\d+):(0x[0-9a-fA-F]+|\d+)$/.exec(text.replace(/_/g, ''));
  if (!m) throw new UsageError(`--${flag} takes ADDR:LEN, e.g. 0x80200000:64, got ${JSON.stringify(text)}`);
  const length = Number(BigInt(m[2]));
  if (length <= 0 || length > maxLength) throw new UsageError(`--${flag}: LEN must be 1..${maxLength}`);
  return { addr: BigInt(m[1]), length };
}

/** A process id, as the guest's kernel gives them (1 to 2^31 - 1). */
export function pidOption(flag: string, text: string): number {
  const pid = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(pid) || pid < 1 || pid > 0x7fff_ffff) throw new UsageError(`--${flag}: a pid is a whole number from 1 to ${0x7fff_ffff}, got ${JSON.stringify(text)}`);
  return pid;
}

/** A watched range: ADDR:LEN physical, or pid:N:VADDR:LEN virtual in process N (a watch dimension's parameters). */
export function watchOption(flag: string, text: string, maxLength: number): { addr: bigint; length: number; pid?: number } {
  const m = /^pid:([^:]*):(.*)$/.exec(text);
  return m ? { ...rangeOption(flag, m[2], maxLength), pid: pidOption(flag, m[1]) } : rangeOption(flag, text, maxLength);
}

/** The largest unsigned 64-bit value, as --seed and other u64 options take. */
const U64_MAX = (1n << 64n) - 1n;

/** An unsigned 64-bit decimal given on the command line (underscores allowed as digit separators), named `what` in errors: "a seed". */
export function u64Option(flag: string, text: string, what: string): bigint {
  const digits = text.replace(/_/g, '');
  if (!/^\d+$/.test(digits)) throw new UsageError(`--${flag}: ${what} is a decimal from 0 to 2^64-1 = ${U64_MAX}, got ${JSON.stringify(text)}`);
  const value = BigInt(digits);
  if (value > U64_MAX) throw new UsageError(`--${flag}: ${what} is at most 2^64-1 = ${U64_MAX}, got ${text}`);
  return value;
}

/** The "Options:" lines of --help, aligned, from the same table the parser reads. */
export function formatOptions(options: OptionTable): string[] {
  const heads = Object.entries(options).map(([name, spec]) => `${spec.short ? `-${spec.short}, ` : ''}--${name}${spec.type === 'string' ? ` ${spec.arg ?? 'VALUE'}` : ''}`);
  const width = Math.max(...heads.map((h) => h.length));
  return Object.values(options).flatMap((spec, i) => spec.help.split('\n').map((line, j) => `  ${(j === 0 ? heads[i] : '').padEnd(width)}  ${line}`));
}

/** A command's --help: its synopsis, a description, then its options. */
export function commandUsage(synopsis: string, description: readonly string[], options: OptionTable): string {
  return [synopsis, '', ...description, ...(Object.keys(options).length ? ['', 'Options:', ...formatOptions(options)] : [])].join('\n');
}

/** `--no-jit`, in the option table of every command that runs the machine (docs/design.md 2, The JIT). */
export const JIT_OPTIONS = {
  'no-jit': { type: 'boolean', help: 'run guest code in the interpreter only (no JIT): same results, slower' },
} as const satisfies OptionTable;
