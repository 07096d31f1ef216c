// What a new user gets from the prnr command line when asking for help or
// mistyping: a real node process on bin/prnr.js, as they would run it.
import { describe, expect, it } from 'vitest';
import { prnr as runPrnr } from '../../test/prnr';

/** `prnr ARGS...`: its exit code and output (not its wall time, so two runs compare equal). */
async function prnr(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { code, stdout, stderr } = await runPrnr(args);
  return { code, stdout, stderr };
}

describe('prnr help and usage errors', () => {
  it('prnr help record prints record\'s own usage, the same as prnr record --help', async () => {
    const help = await prnr('help', 'record');
    expect(help).toMatchObject({ code: 0, stderr: '' });
    expect(help.stdout).toMatch(/^prnr record \(--cmd COMMAND \.\.\. \| --script FILE\) -o OUT\.prnr/);
    expect(help.stdout).toMatch(/^ {2}--slice-ticks N +snapshot interval in ticks/m);
    expect(await prnr('record', '--help')).toEqual(help);
  });

  it('suggests the option a mistyped one was meant to be, in one plain line', async () => {
    expect(await prnr('record', '--cmd', 'ls', '-o', 'x.prnr', '--slice-tick', '5')).toEqual({ code: 2, stdout: '', stderr: 'prnr: record has no option --slice-tick; did you mean --slice-ticks?\n' });
    expect(await prnr('boot', '--cmds', 'ls')).toEqual({ code: 2, stdout: '', stderr: 'prnr: boot has no option --cmds; did you mean --cmd?\n' });
  });

  it('says a negative tick is not a tick instead of calling the option ambiguous', async () => {
    expect(await prnr('boot', '--cmd', 'true', '--budget', '-5')).toEqual({ code: 2, stdout: '', stderr: 'prnr: --budget: ticks count up from 0, so -5 is not one\n' });
  });

  it('suggests the command a mistyped one was meant to be', async () => {
    expect(await prnr('recrod')).toEqual({ code: 2, stdout: '', stderr: 'prnr: unknown command "recrod"; did you mean record?\n' });
    expect(await prnr('help', 'nosuch')).toMatchObject({ code: 2, stderr: 'prnr: unknown command "nosuch"; run prnr --help for the list\n' });
  });
});
