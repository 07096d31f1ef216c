// The one parser every prnr command uses: what a user who mistypes gets back.
import { describe, expect, it } from 'vitest';
import { commandUsage, nearest, parseCommandArgs, tickOption, type OptionTable } from './args';

const options = {
  jobs: { type: 'string', short: 'j', arg: 'N', help: 'worker threads' },
  tick: { type: 'string', arg: 'T', help: 'the tick' },
  cmd: { type: 'string', multiple: true, arg: 'COMMAND', help: 'a command\n(repeatable)' },
  force: { type: 'boolean', help: 'overwrite' },
} as const satisfies OptionTable;

const parse = (...argv: string[]) => parseCommandArgs('replay', argv, options, { positionals: true });
const usageError = (run: () => unknown) => {
  try {
    run();
  } catch (err) {
    expect((err as { code?: string }).code).toBe('USAGE');
    return (err as Error).message;
  }
  throw new Error('expected a usage error');
};

describe('parseCommandArgs', () => {
  it('parses long, short, inline and repeated options and positionals', () => {
    expect(parse('a.prnr', '-j3', '--tick', '7', '--cmd=ls', '--cmd', 'uname -a', '--force', '--', '--not-an-option')).toEqual({
      values: { jobs: '3', tick: '7', cmd: ['ls', 'uname -a'], force: true },
      positionals: ['a.prnr', '--not-an-option'],
    });
  });

  it('says so when an option that takes one value is given twice, in either spelling', () => {
    expect(usageError(() => parse('--tick', '1', '--tick', '2'))).toBe('--tick is given twice; replay takes one');
    expect(usageError(() => parse('--jobs', '1', '-j', '2'))).toBe('--jobs is given twice; replay takes one');
  });

  it('suggests the nearest option for a mistyped one', () => {
    expect(usageError(() => parse('--job', '2'))).toBe('replay has no option --job; did you mean --jobs?');
    expect(usageError(() => parse('--forse'))).toBe('replay has no option --forse; did you mean --force?');
    expect(usageError(() => parse('--tikc=5'))).toBe('replay has no option --tikc; did you mean --tick?');
    expect(usageError(() => parse('--verbose'))).toBe('replay has no option --verbose; run prnr replay --help for its options');
    expect(usageError(() => parse('-x'))).toBe('replay has no option -x; run prnr replay --help for its options');
  });

  it('takes a value that starts with "-" rather than calling it ambiguous, unless it is an option', () => {
    expect(parse('--tick', '-5').values.tick).toBe('-5');
    expect(usageError(() => tickOption('tick', parse('--tick', '-5').values.tick!))).toBe('--tick: ticks count up from 0, so -5 is not one');
    expect(usageError(() => parse('--tick', '--force'))).toBe('--tick needs a value (--tick T)');
    expect(usageError(() => parse('-j'))).toBe('-j needs a value (-j N)');
    expect(usageError(() => parse('--force=yes'))).toBe('--force is a switch and takes no value, got "yes"');
  });

  it('refuses positionals a command does not take', () => {
    expect(usageError(() => parseCommandArgs('record', ['ls'], options))).toBe('record takes no arguments besides its options, got "ls"; run prnr record --help for its options');
    expect(usageError(() => parseCommandArgs('version', ['x'], {}))).toBe('version takes no arguments, got "x"');
  });
});

describe('tickOption', () => {
  it('reads decimal ticks with digit separators and names the option in errors', () => {
    expect(tickOption('budget', '20_000_000')).toBe(20_000_000n);
    expect(usageError(() => tickOption('budget', '1e9'))).toBe('--budget: a tick is a decimal integer like 1200345, got "1e9"');
  });
});

describe('nearest', () => {
  it('prefers the one candidate a prefix names, else the closest within a third of the length', () => {
    expect(nearest('rep', ['record', 'replay', 'seek'])).toBe('replay');
    expect(nearest('recrod', ['record', 'replay', 'seek'])).toBe('record');
    expect(nearest('xyz', ['record', 'replay', 'seek'])).toBeUndefined();
  });
});

describe('commandUsage', () => {
  it('derives the options section from the table the parser reads', () => {
    expect(commandUsage('prnr replay FILE', ['Replays.'], options)).toBe(
      [
        'prnr replay FILE',
        '',
        'Replays.',
        '',
        'Options:',
        '  -j, --jobs N   worker threads',
        '  --tick T       the tick',
        '  --cmd COMMAND  a command',
        '                 (repeatable)',
        '  --force        overwrite',
      ].join('\n'),
    );
  });
});
