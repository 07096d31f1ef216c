// `prnr record` as a user runs it (a real prnr process): the entropy each
// recording draws, what is typed for --cmd, the limits of its options, how a
// session may end, and where the recording may go.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_IMAGES_DIR } from '../../engine/node/images';
import { useTempDir } from '../test-dir';
import { openRecordingFile } from '../../engine/node/recording-file';
import { EndReason } from '../../shared/recording/format';
import type { Recording } from '../../shared/recording/reader';
import { prnr } from '../../../test/prnr';

const hasDefaultImage = existsSync(join(DEFAULT_IMAGES_DIR, 'default', 'manifest.json'));

/** A recording file, opened, with everything typed and printed (read before the file is closed). */
function opened(path: string): Recording & { typed: Buffer; printed: Buffer } {
  const { recording, source } = openRecordingFile(path);
  try {
    const typed = Buffer.concat(recording.slices.flatMap((s) => s.events.map((e) => e.data)));
    return Object.assign(recording, { typed, printed: Buffer.concat(recording.slices.flatMap((s) => s.output.map((o) => o.data))) });
  } finally {
    source.close();
  }
}

describe.skipIf(!hasDefaultImage)('prnr record', () => {
  const dir = useTempDir('record-options');

  /** Records `args` to dir/name and expects success; returns the path. */
  async function record(name: string, ...args: string[]): Promise<string> {
    const out = join(dir(), name);
    const result = await prnr(['record', ...args, '-o', out]);
    expect(result.stderr.split('\n').filter((l) => l.startsWith('prnr:') && !/^prnr: \[\d+\/\d+\] tick/.test(l))).toEqual([]);
    expect(result.code).toBe(0);
    return out;
  }

  const UUID = 'cat /proc/sys/kernel/random/uuid';
  const uuidIn = (rec: { printed: Buffer }) => /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/.exec(rec.printed.toString('latin1'))?.[0];

  it('draws a fresh entropy seed for every recording, so the guest sees other random values', async () => {
    const [a, b] = await Promise.all([record('fresh-a.prnr', '--cmd', UUID), record('fresh-b.prnr', '--cmd', UUID)]);
    const [ra, rb] = [opened(a), opened(b)];
    expect(ra.header.machine.entropySeed).not.toBe(rb.header.machine.entropySeed);
    expect(uuidIn(ra)).toBeDefined();
    expect(uuidIn(rb)).toBeDefined();
    expect(uuidIn(ra)).not.toBe(uuidIn(rb));
    expect((await prnr(['info', a])).stdout).toContain(`entropy seed ${ra.header.machine.entropySeed},`);
  });

  it('--seed N fixes the seed: two recordings with the same seed are byte-identical files', async () => {
    const seed = '18446744073709551615';
    const [a, b] = await Promise.all([record('seed-a.prnr', '--cmd', UUID, '--seed', seed), record('seed-b.prnr', '--cmd', UUID, '--seed', seed)]);
    expect(opened(a).header.machine.entropySeed).toBe(seed);
    expect(Buffer.compare(readFileSync(a), readFileSync(b))).toBe(0);
    // The largest seed replays as itself (every slice reproduces its state root), not as 0.
    expect((await prnr(['replay', a])).stdout).toMatch(/^(\d+)\/\1 slices verified/m);
    const other = opened(await record('seed-c.prnr', '--cmd', UUID, '--seed', '1'));
    expect(other.header.machine.entropySeed).toBe('1');
    expect(uuidIn(other)).not.toBe(uuidIn(opened(a)));
  });

  it('refuses a seed that is not a decimal from 0 to 2^64-1, in one line', async () => {
    const out = join(dir(), 'bad-seed.prnr');
    const cases: Array<[string, string]> = [
      ['18446744073709551616', '--seed: a seed is at most 2^64-1 = 18446744073709551615, got 18446744073709551616'],
      ['-1', '--seed: a seed is a decimal from 0 to 2^64-1 = 18446744073709551615, got "-1"'],
      ['0x10', '--seed: a seed is a decimal from 0 to 2^64-1 = 18446744073709551615, got "0x10"'],
      ['', '--seed: a seed is a decimal from 0 to 2^64-1 = 18446744073709551615, got ""'],
    ];
    for (const [seed, message] of cases) {
      expect(await prnr(['record', '--cmd', 'true', '--seed', seed, '-o', out])).toMatchObject({ code: 2, stdout: '', stderr: `prnr: ${message}\n` });
    }
    expect(existsSync(out) || existsSync(`${out}.partial`)).toBe(false);
  });

  it('types --cmd text as UTF-8: the guest echoes and prints the same bytes', async () => {
    const out = await record('utf8.prnr', '--cmd', 'echo ✓ é', '--budget', '2000000000');
    const rec = opened(out);
    expect(rec.typed.toString('hex')).toContain(Buffer.from('echo ✓ é\n').toString('hex'));
    // The shell echoes the line as typed, then echo prints it: the UTF-8 bytes twice, the second time on a line of its own.
    expect(rec.printed.toString('utf8')).toMatch(/echo ✓ é\r\n✓ é\r\n/);
    expect((await prnr(['info', out])).stdout).toMatch(/^ {2}tick +\d+ {2}console "echo ✓ é\\n"$/m);
  });

  it('refuses a snapshot interval below 100000 ticks or above 10^9, saying why, before it boots', async () => {
    const out = join(dir(), 'slices.prnr');
    const tooShort = 'prnr: --slice-ticks: a snapshot interval is at least 100000 ticks (1 ms of guest time): every snapshot pauses the machine and stores its CPU and device state, so shorter slices cost more than they hold (100000 already makes a recording several times larger than the default 5000000)\n';
    const tooLong = 'prnr: --slice-ticks: a snapshot interval is at most 1000000000 ticks (10 s of guest time): a slice is what one worker replays and what a seek runs through, so longer ones make seeks take seconds and leave too few slices to replay in parallel\n';
    for (const [ticks, stderr] of [['1', tooShort], ['99999', tooShort], ['1000000001', tooLong], ['0', tooShort]]) {
      expect(await prnr(['record', '--cmd', 'true', '--slice-ticks', ticks, '-o', out])).toMatchObject({ code: 2, stdout: '', stderr });
    }
    expect(existsSync(out) || existsSync(`${out}.partial`)).toBe(false);
    for (const ticks of ['100000', '1000000000']) {
      const rec = opened(await record(`slices-${ticks}.prnr`, '--cmd', 'true', '--slice-ticks', ticks));
      expect(rec.header.sliceTicks).toBe(ticks);
    }
  });

  it('records a session that the guest ends by powering off or rebooting to its end: END says so, exit 0, every slice replays', async () => {
    for (const [name, last, end] of [['poweroff', 'poweroff -f', /^end: poweroff \(code 0x0\) at tick \d+$/m], ['reboot', 'echo going; reboot -f', /^end: reboot at tick \d+$/m]] as const) {
      const out = await record(`${name}.prnr`, '--cmd', 'echo last words', '--cmd', last);
      expect(existsSync(`${out}.partial`)).toBe(false);
      const rec = opened(out);
      expect(rec.complete).toBe(true);
      // The recording goes on past the typed command that stopped the machine, to the tick it stopped at.
      const typed = rec.slices.flatMap((s) => s.events).find((e) => Buffer.from(e.data).toString() === `${last}\n`);
      expect(typed).toBeDefined();
      expect(rec.end!.endTick).toBeGreaterThan(typed!.tick);
      expect(rec.end!.reason).toBe(name === 'reboot' ? EndReason.reboot : EndReason.poweroff);
      expect((await prnr(['info', out])).stdout).toMatch(end);
      expect((await prnr(['replay', out])).stdout).toMatch(/^(\d+)\/\1 slices verified/m);
    }
  });

  it('when the guest powers off before the last command, keeps the complete recording and says which commands were not typed', async () => {
    const out = join(dir(), 'early-poweroff.prnr');
    const result = await prnr(['record', '--cmd', 'poweroff -f', '--cmd', 'echo never', '--cmd', 'echo nor this', '-o', out]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^prnr: the guest powered off during command 1 of 3 \("poweroff -f"\); the recording is complete up to there, but commands 2 to 3 were not typed$/m);
    expect(opened(out).end?.reason).toBeDefined();
  });

  it('checks where the recording goes before it boots: a directory, a missing directory, a name too long, in plain words', async () => {
    const folder = dir();
    const cases: Array<[string[], string]> = [
      [['-o', folder, '--force'], `prnr: cannot record to ${folder}: it is a directory; name a file in it, e.g. ${join(folder, 'session.prnr')}\n`],
      [['-o', folder], `prnr: cannot record to ${folder}: it is a directory; name a file in it, e.g. ${join(folder, 'session.prnr')}\n`],
      [['-o', join(folder, 'no', 'such', 'x.prnr')], `prnr: cannot record to ${join(folder, 'no', 'such', 'x.prnr')}: the directory ${join(folder, 'no', 'such')} does not exist\n`],
      [['-o', join(folder, `${'n'.repeat(250)}.prnr`)], `prnr: cannot record to ${join(folder, `${'n'.repeat(250)}.prnr`)}: the file name is too long (263 bytes with .partial; file names are at most 255)\n`],
    ];
    for (const [args, stderr] of cases) {
      // A long session: before the fix, -o DIR --force failed only once it had run.
      const result = await prnr(['record', '--cmd', 'sleep 30', ...args]);
      expect(result).toMatchObject({ code: 1, stdout: '', stderr });
      expect(result.ms).toBeLessThan(15_000);
    }
    expect(existsSync(`${dir()}.partial`)).toBe(false);
  });

  it('two recorders started at once on one path: one wins and says so, the other fails clearly, none is lost silently', async () => {
    for (const force of [['--force'], []]) {
      const out = join(dir(), `race${force.length ? '-force' : ''}.prnr`);
      // A session long enough for the two to overlap; each with its own seed, so the file tells whose it is.
      const runs = await Promise.all(['1', '2'].map((seed) => prnr(['record', '--cmd', '/demo/cpubench 30', '--seed', seed, '-o', out, ...force])));
      const won = runs.filter((r) => r.code === 0);
      const lost = runs.filter((r) => r.code !== 0);
      expect(won.length, runs.map((r) => r.stderr).join('\n')).toBe(1);
      expect(won[0].stdout).toMatch(new RegExp(`^recorded ${out}: `));
      expect(lost[0].code).toBe(1);
      expect(lost[0].stderr).toMatch(new RegExp(`^prnr: (${out}.partial exists: another prnr record to ${out} may be running, or an interrupted one left it|${out} appeared while this recording ran)`, 'm'));
      const winner = runs.indexOf(won[0]) === 0 ? '1' : '2';
      expect(opened(out).header.machine.entropySeed).toBe(winner);
      // The loser either never started (nothing of its own left behind) or kept its whole recording as .partial.
      if (existsSync(`${out}.partial`)) expect(lost[0].stderr).toContain(`kept, complete, as ${out}.partial`);
    }
  });

  it('refuses an existing .partial even with --force: it is another recording in progress, or an interrupted one', async () => {
    const out = join(dir(), 'stale.prnr');
    writeFileSync(`${out}.partial`, 'an interrupted recording');
    for (const force of [['--force'], []]) {
      expect(await prnr(['record', '--cmd', 'true', '-o', out, ...force])).toMatchObject({
        code: 1,
        stdout: '',
        stderr: `prnr: ${out}.partial exists: another prnr record to ${out} may be running, or an interrupted one left it (prnr info ${out}.partial shows what it kept); wait for the other to finish, or remove ${out}.partial to record again\n`,
      });
    }
    expect(readFileSync(`${out}.partial`, 'utf8')).toBe('an interrupted recording');
  });
});
