// `prnr boot` as a user runs it: a real node process on bin/prnr.js.
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_IMAGES_DIR } from '../../engine/node/images';
import { writeTestImage } from '../../engine/node/test-image';
import { shellQuote } from '../../engine/guest-console';

const bin = fileURLToPath(new URL('../../../bin/prnr.js', import.meta.url));
const hasDefaultImage = existsSync(join(DEFAULT_IMAGES_DIR, 'default', 'manifest.json'));

async function prnr(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string; ms: number }> {
  const started = Date.now();
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, ...args], { env: { ...process.env, PRNR_DEBUG: '', ...env }, maxBuffer: 16 << 20 });
    return { code: 0, stdout, stderr, ms: Date.now() - started };
  } catch (err) {
    const failed = err as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr, ms: Date.now() - started };
  }
}

describe('prnr boot', () => {
  let imagesDir: string;
  beforeAll(async () => {
    imagesDir = await mkdtemp(join(tmpdir(), 'prnr-boot-'));
    // A firmware that spins forever (`j .`): the guest never prints a prompt.
    const spin = new Uint8Array([0x6f, 0, 0, 0]);
    await writeTestImage(imagesDir, 'spin', { firmware: spin, kernel: spin, initrd: new Uint8Array(16) });
  });
  afterAll(async () => {
    await rm(imagesDir, { recursive: true, force: true });
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

  it.skipIf(!hasDefaultImage)(
    'reports a failing command\'s exit status on stderr',
    async () => {
      const result = await prnr(['boot', '--cmd', "echo 'it''s'; false"]);
      expect(result).toMatchObject({ code: 0, stdout: "its\n", stderr: 'prnr: the command exited with status 1\n' });
    },
    300_000,
  );

  it.skipIf(!hasDefaultImage)(
    'says plainly when the command ends the shell, with the shell\'s exit status, and still powers off',
    async () => {
      const result = await prnr(['boot', '--cmd', 'echo bye; exit 3']);
      expect(result).toMatchObject({ code: 0, stdout: 'bye\n', stderr: 'prnr: the shell exited with status 3\n' });
    },
    300_000,
  );

  it.skipIf(!hasDefaultImage)(
    'says plainly when the command powers the guest off before it finishes, and keeps what it printed',
    async () => {
      const result = await prnr(['boot', '--cmd', 'echo partial; poweroff -f']);
      expect(result).toMatchObject({ code: 0, stderr: 'prnr: the guest powered off before the command finished\n' });
      expect(result.stdout).toMatch(/^partial\n.*reboot: Power down\n$/);
    },
    300_000,
  );

  it.skipIf(!hasDefaultImage)(
    'blames --budget only when the command ran out of it',
    async () => {
      const result = await prnr(['boot', '--cmd', 'sleep 5', '--budget', '100000000']);
      expect(result).toMatchObject({ code: 1, stdout: '', stderr: 'prnr: the command did not finish within its --budget of 100000000 ticks (at tick 100000000); raise --budget if it needs longer\n' });
    },
    300_000,
  );

  it.skipIf(!hasDefaultImage)(
    'interactive: what is typed reaches the shell in real time, and Ctrl-] leaves with exit 0',
    async () => {
      const child = spawn(process.execPath, [bin, 'boot'], { env: { ...process.env, PRNR_DEBUG: '' }, stdio: ['pipe', 'pipe', 'pipe'] });
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
    const result = await prnr(['boot', '--image', 'no-such-image', '--cmd', 'true'], { PRNR_IMAGES_DIR: imagesDir });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`prnr: image "no-such-image" not found: no ${join(imagesDir, 'no-such-image', 'manifest.json')} (build it with npm run images)\n`);
    expect(result.stdout).toBe('');
  });

  it('gives up with a clear timeout error when the guest does not reach the prompt within --budget', async () => {
    const result = await prnr(['boot', '--image', 'spin', '--cmd', 'true', '--budget', '3000000'], { PRNR_IMAGES_DIR: imagesDir });
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
