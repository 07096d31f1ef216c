// The QEMU oracle boots the default image and runs the demo programs with
// fixed, known output; and fails with one clear line when the image is
// missing or corrupted or the guest is too slow.
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_IMAGES_DIR, REPO_ROOT } from './images.ts';
import { qemuInstalled, runCommands, type CommandResult } from './qemu.ts';


/** Command -> exact expected output.  The demos are deterministic by design. */
const EXPECTED: Array<[string, string | RegExp]> = [
  ['uname -m', 'riscv64\n'],
  ['busybox | head -1', /^BusyBox v1\.\d+\.\d+ .*multi-call binary\.\n$/],
  ['uname -sr', 'Linux 6.1.192\n'],
  ['cpubench', 'cpubench: iterations=80 int=bc0ac5cf28ebbd1e fp=528783.836786 checksum=fd2ae6d0848484ae\n'],
  ['cpubench 3', 'cpubench: iterations=3 int=02fb470964f02187 fp=5521.127675 checksum=424ed629cbbf91a3\n'],
  ['fileproc', 'fileproc: lines=2000 words=10002 bytes=60242 size=60242 fnv1a=4ba7c73f top=seek:739\n'],
  [
    'forkpipe',
    'forkpipe: child 0 said "hello from child 0" status=0\n' +
      'forkpipe: child 1 said "hello from child 1" status=0\n' +
      'forkpipe: child 2 said "hello from child 2" status=0\n' +
      'child 7: sum=5050 scaled=35350\n' +
      'forkpipe: self-exec status=7\n' +
      'forkpipe: done children=3\n',
  ],
  ['diverge a', 'diverge: mode=a\ndiverge: path A n=12 sum_of_squares=650\n'],
  ['echo b | diverge', 'diverge: mode=b\ndiverge: path B x=6 y=7 product=42\n'],
  ['DIVERGE_MODE=b diverge', 'diverge: mode=b\ndiverge: path B x=6 y=7 product=42\n'],
  ['memtouch', 'memtouch: pages=4096 rounds=2 fnv1a=e035564d0ed0f325\n'],
  ['head -2 /data/README.txt', 'prnr data disk\n==============\n'],
  ['printf no-newline', 'no-newline'],
  ['sleep 0.1 & wait; echo after-job', 'after-job\n'],
];

const TSX = join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
const ORACLE = join(REPO_ROOT, 'scripts', 'oracle.ts');

async function oracleCli(args: string[], env: NodeJS.ProcessEnv = {}) {
  try {
    const { stdout, stderr } = await promisify(execFile)(TSX, [ORACLE, ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      timeout: 170_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe.runIf(qemuInstalled())('QEMU oracle', () => {
  it('boots the default image once and prints each command\'s output', { timeout: 180_000 }, async () => {
    const results: CommandResult[] = await runCommands(
      EXPECTED.map(([command]) => command),
      { timeoutSec: 150 },
    );
    for (const [i, [command, expected]] of EXPECTED.entries()) {
      const result = results[i]!;
      expect(result.command).toBe(command);
      expect(result.status, command).toBe(0);
      if (typeof expected === 'string') expect(result.output, command).toBe(expected);
      else expect(result.output, command).toMatch(expected);
    }
  });

  it('npm run oracle prints riscv64 and the BusyBox banner', { timeout: 180_000 }, async () => {
    const { code, stdout, stderr } = await oracleCli(['--cmd', 'uname -m; busybox | head -1']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^riscv64\nBusyBox v1\.\d+\.\d+ .*multi-call binary\.\n$/);
  });
});

describe.runIf(qemuInstalled())('QEMU oracle errors', () => {
  let copy: string;
  beforeAll(() => {
    copy = mkdtempSync(join(tmpdir(), 'prnr-oracle-test-'));
    cpSync(join(DEFAULT_IMAGES_DIR, 'default'), join(copy, 'default'), { recursive: true });
  });
  afterAll(() => rmSync(copy, { recursive: true, force: true }));

  function expectOneLineError(stderr: string, pattern: RegExp): void {
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^oracle: /);
    expect(lines[0]).toMatch(pattern);
  }

  it('reports a missing image in one line and exits non-zero', async () => {
    const { code, stdout, stderr } = await oracleCli(['--image', 'no-such-image', '--cmd', 'true']);
    expect(code).not.toBe(0);
    expect(stdout).toBe('');
    expectOneLineError(stderr, /image "no-such-image" not found/);
  });

  it('names the corrupted file before booting (--images-dir)', async () => {
    const path = join(copy, 'default', 'initrd.cpio.gz');
    const bytes = readFileSync(path);
    bytes[bytes.length >> 1] ^= 0xff;
    writeFileSync(path, bytes);
    const { code, stdout, stderr } = await oracleCli(['--images-dir', copy, '--cmd', 'true']);
    expect(code).not.toBe(0);
    expect(stdout).toBe('');
    expectOneLineError(stderr, /initrd\.cpio\.gz.*sha256/);
  });

  it('follows PRNR_IMAGES_DIR too', async () => {
    const { code, stderr } = await oracleCli(['--cmd', 'true'], { PRNR_IMAGES_DIR: join(copy, 'nowhere') });
    expect(code).not.toBe(0);
    expectOneLineError(stderr, /not found/);
  });

  it('gives up when the guest does not reach the prompt in time', async () => {
    const { code, stderr } = await oracleCli(['--timeout', '0.2', '--cmd', 'true']);
    expect(code).not.toBe(0);
    expectOneLineError(stderr, /did not reach the shell prompt within 0\.2 s/);
  });
});
