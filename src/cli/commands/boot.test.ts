// `prnr boot` as a user runs it: a real node process on bin/prnr.js.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_IMAGES_DIR } from '../../engine/node/images';
import { writeTestImage } from '../../engine/node/test-image';
import { shellQuote } from '../../engine/guest-console';
import { PRNR_BIN, prnr } from '../../../test/prnr';
import { useTempDir } from '../test-dir';

const hasDefaultImage = existsSync(join(DEFAULT_IMAGES_DIR, 'default', 'manifest.json'));

/** What `prnr boot --cmd COMMAND` prints and how it exits, one row a way a session ends. */
const sessions: Array<{ name: string; args: string[]; expected: { code: number; stdout?: string; stderr: string }; stdout?: RegExp }> = [
  { name: 'reports a failing command\'s exit status on stderr', args: ['--cmd', "echo 'it''s'; false"], expected: { code: 0, stdout: 'its\n', stderr: 'prnr: the command exited with status 1\n' } },
  { name: 'says plainly when the command ends the shell, with the shell\'s exit status, and still powers off', args: ['--cmd', 'echo bye; exit 3'], expected: { code: 0, stdout: 'bye\n', stderr: 'prnr: the shell exited with status 3\n' } },
  { name: 'says plainly when the command powers the guest off before it finishes, and keeps what it printed', args: ['--cmd', 'echo partial; poweroff -f'], expected: { code: 0, stderr: 'prnr: the guest powered off before the command finished\n' }, stdout: /^partial\n.*reboot: Power down\n$/ },
  { name: 'blames --budget only when the command ran out of it', args: ['--cmd', 'sleep 5', '--budget', '100000000'], expected: { code: 1, stdout: '', stderr: 'prnr: the command did not finish within its --budget of 100000000 ticks (at tick 100000000); raise --budget if it needs longer\n' } },
];

describe('prnr boot', () => {
  const images = useTempDir('boot');
  beforeAll(async () => {
    // A firmware that spins forever (`j .`): the guest never prints a prompt.
    const spin = new Uint8Array([0x6f, 0, 0, 0]);
    await writeTestImage(images(), 'spin', { firmware: spin, kernel: spin, initrd: new Uint8Array(16) });
  });

  it.skipIf(!hasDefaultImage)(
    'boots Linux headless, runs a command at the shell prompt and prints only its output',
    async () => {
      const result = await prnr(['boot', '--cmd', 'uname -m; echo hi']);
      expect(result).toMatchObject({ code: 0, stdout: 'riscv64\nhi\n', stderr: '' });
      console.log(`prnr boot --cmd: ${result.ms} ms`);
    },
    300_000,
  );

  for (const { name, args, expected, stdout } of sessions) {
    it.skipIf(!hasDefaultImage)(
      name,
      async () => {
        const result = await prnr(['boot', ...args]);
        expect(result).toMatchObject(expected);
        if (stdout) expect(result.stdout).toMatch(stdout);
      },
      300_000,
    );
  }

  it.skipIf(!hasDefaultImage)(
    'interactive: what is typed reaches the shell in real time, and Ctrl-] leaves with exit 0',
    async () => {
      const child = spawn(process.execPath, [PRNR_BIN, 'boot'], { env: { ...process.env, PRNR_DEBUG: '' }, stdio: ['pipe', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => { out += chunk.toString('latin1'); });
      const seen = async (text: string, from = 0) => {
        const end = Date.now() + 120_000;
        while (out.indexOf(text, from) < 0) {
          if (Date.now() > end || child.exitCode !== null) throw new Error(`did not see ${JSON.stringify(text)}; output ends ${JSON.stringify(out.slice(-200))}`);
          await new Promise((r) => setTimeout(r, 50));
        }
        return out.indexOf(text, from);
      };
      const prompt = await seen('prnr# ');
      const started = Date.now();
      child.stdin.write('sleep 1; uname -m\n');
      await seen('riscv64', prompt);
      expect(Date.now() - started).toBeGreaterThanOrEqual(900); // paced to the wall clock: `sleep 1` takes a second
      child.stdin.write(Buffer.from([0x1d]));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      expect(code).toBe(0);
    },
    300_000,
  );

  it('names an image that does not exist and exits non-zero', async () => {
    const result = await prnr(['boot', '--image', 'no-such-image', '--cmd', 'true'], { env: { PRNR_IMAGES_DIR: images() } });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`prnr: image "no-such-image" not found: no ${join(images(), 'no-such-image', 'manifest.json')} (build it with npm run images)\n`);
    expect(result.stdout).toBe('');
  });

  it('gives up with a clear timeout error when the guest does not reach the prompt within --budget', async () => {
    const result = await prnr(['boot', '--image', 'spin', '--cmd', 'true', '--budget', '3000000'], { env: { PRNR_IMAGES_DIR: images() } });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('prnr: the guest did not reach its shell prompt "test# " within its --budget of 3000000 ticks (at tick 3000000); raise --budget if it needs longer\n');
  });

  it('rejects a budget that is not a tick count as a usage error', async () => {
    const result = await prnr(['boot', '--cmd', 'true', '--budget', '1e9']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--budget: a tick is a decimal integer');
  });
});

describe('the command typed for --cmd', () => {
  it('is quoted as one shell word for eval', () => {
    expect(shellQuote("echo 'a b' | wc -c")).toBe(`'echo '\\''a b'\\'' | wc -c'`);
    expect(shellQuote('')).toBe(`''`);
  });
});
