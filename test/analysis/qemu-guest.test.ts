// The syscall trace of a recorded guest checked against a real tracer: the
// demo programs run in a recorded session, and the same binaries (from the
// image's initrd) run on the host under `qemu-riscv64 -strace` with the
// decoding engineer's harness (test/syscalls/qemu.ts, qemu-compare.ts), on a
// pseudo-terminal as the guest's console is a terminal. The names of the
// program's calls, in order, and every argument that does not depend on the
// environment must match. What depends on it, all of it:
//   G1 glibc asks a character device that is not a pty whether it is a
//      terminal (ioctl TCGETS after its newfstatat): the guest's serial
//      console is one, the host's pty is not asked: that ioctl is the guest's alone;
//   G2 addresses (either side a number of 0x10000 or more: pointers, brk and
//      mmap arguments, stacks) differ between a kernel and qemu-user's loader;
//   G3 what the kernel writes (out-parameters: stat buffers, read data,
//      terminal settings) describes each side's own files and devices;
//   G4 results are not compared (they are addresses, sizes and pids of each side);
//   G5 reads of one pipe that follow each other count as one: how many it
//      takes depends on when its writer ran;
//   G6 qemu's log (-D) is the host process's fd 3, so the program's own fds
//      from 3 up are one higher under qemu.
// forkpipe is left out: its self-exec runs a riscv binary, which qemu-user
// cannot without binfmt_misc (the child exits 127 where the guest's returns 7).
// (qemu's own limits are the harness's: a call it prints as six raw
// registers, qemu-compare.ts N6, is compared by name.)
// Without qemu-riscv64 or a C compiler this skips, except under CI=true.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyscallsResult, TracedCall } from '../../src/analysis/dimensions/index.ts';
import { createAnalysisRuntime } from '../../src/analysis/runtime.ts';
import { SYSCALLS } from '../../src/analysis/syscalls/index.ts';
import { analyzeRecording } from '../../src/engine/analyze/run.ts';
import { loadNodeAnalysisFiles } from '../../src/engine/node/images.ts';
import { openRecordingFile } from '../../src/engine/node/recording-file.ts';
import { loadRecordingBootFiles } from '../../src/engine/node/recording-image.ts';
import { startNodeReplayPool } from '../../src/engine/node/replay-pool.ts';
import { prnr } from '../prnr.ts';
import { compareArgs, isRaw, numberOf, splitArgs } from '../syscalls/qemu-compare.ts';
import { QEMU, buildPlugin, extractInitrd, haveCompiler, parseLog, prepareWorkdir, qemuVersion, type QemuCall } from '../syscalls/qemu.ts';

const required = process.env.CI === 'true';
const version = qemuVersion();
const compiler = haveCompiler();
const pty = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;

/** The programs: the initrd file and its arguments, the same in the guest (run in /tmp) and on the host. */
const PROGRAMS: [string, string[]][] = [
  ['demo/diverge', ['a']],
  ['demo/diverge', ['b']],
  ['demo/fileproc', ['fp.txt', '30']],
  ['demo/cpubench', ['1']],
  ['demo/memtouch', ['16', '1']],
];

/** qemu -strace of `argv` with the harness's plugin, its stdio on a pty (script(1)); the log parsed by the harness. */
function traceOnPty(plugin: string, argv: string[], cwd: string, log: string): QemuCall[] {
  const command = [QEMU, '-plugin', plugin, '-d', 'plugin,strace', '-D', log, ...argv].map((a) => `'${a}'`).join(' ');
  const r = spawnSync('script', ['-qec', command, '/dev/null'], { cwd, encoding: 'latin1', timeout: 60_000, env: { PATH: '/usr/bin:/bin', HOME: cwd, LANG: 'C', TERM: 'vt100' } });
  if (r.error) throw r.error;
  return parseLog(readFileSync(log, 'latin1'));
}

/** G5: the calls without a read that follows a read of the same fd; `name` and `fd` tell them. */
function oneReadPerRun<T>(calls: readonly T[], name: (c: T) => string, fd: (c: T) => string): T[] {
  return calls.filter((c, k) => !(k > 0 && name(c) === 'read' && name(calls[k - 1]) === 'read' && fd(c) === fd(calls[k - 1])));
}

/** The calls of the guest process that exec'd `path` with `args`, after its exec, G1 and G5 applied. */
function guestCalls(calls: readonly TracedCall[], path: string, args: string[]): TracedCall[] {
  const argv = `[${[path, ...args].map((a) => JSON.stringify(a)).join(', ')}]`;
  const exec = calls.find((c) => c.record.name === 'execve' && c.record.args[0] === JSON.stringify(path) && c.record.args[1] === argv && c.record.ret === '0');
  expect(exec, `the guest ran ${path} ${args.join(' ')}`).toBeDefined();
  const mine = calls.filter((c) => c.who?.pid === exec!.who?.pid && c.tick > exec!.tick);
  const asked = mine.filter((c, k) => !(c.record.name === 'ioctl' && c.record.args[1] === 'TCGETS' && mine[k - 1]?.record.name === 'newfstatat' && mine[k - 1].record.args[0] === c.record.args[0]));
  return oneReadPerRun(asked, (c) => c.record.name, (c) => c.record.args[0]);
}

const qemuName = (c: QemuCall) => c.text!.slice(0, c.text!.indexOf('('));
const qemuArgs = (c: QemuCall) => splitArgs(c.text!.slice(c.text!.indexOf('(') + 1, -1));

const isAddress = (text: string) => {
  const n = numberOf(text.replace(/\s+/g, ''));
  return n !== undefined && n >= 0x10000n;
};

describe.runIf((version !== undefined && compiler && pty) || required)('the recorded guest\'s syscalls agree with qemu-riscv64 -strace of the same binaries', () => {
  let dir: string;
  let plugin: string;
  let binaries: Record<string, string>;
  let traced: TracedCall[];

  beforeAll(async () => {
    expect(version, 'qemu-riscv64 is required (apt-get install qemu-user)').toBeDefined();
    expect(compiler && pty, 'a C compiler and script(1) are required').toBe(true);
    dir = mkdtempSync(join(tmpdir(), 'prnr-qemu-guest-'));
    plugin = buildPlugin(dir);
    binaries = extractInitrd(dir, [...new Set(PROGRAMS.map(([file]) => file))]);
    const file = join(dir, 'programs.prnr');
    const commands = PROGRAMS.flatMap(([path, args]) => ['--cmd', `cd /tmp && /${path} ${args.join(' ')}`]);
    const recorded = await prnr(['record', '--seed', '3', ...commands, '-o', file]);
    expect(recorded.code, recorded.stderr).toBe(0);
    const { recording: rec } = openRecordingFile(file);
    const pool = await startNodeReplayPool({ path: file, recovery: false, files: await loadRecordingBootFiles(rec.header), jobs: 2, entry: new URL('../../src/cli/workers/analysis.worker.ts', import.meta.url) });
    try {
      const outcome = await analyzeRecording({ rec, requests: [{ dimension: 'syscalls', params: { strsize: 65536 } }], runtime: createAnalysisRuntime(), inputs: await loadNodeAnalysisFiles(rec.header.image.name), analyzer: async () => pool });
      traced = (outcome.dimensions[0].result as SyscallsResult).calls;
    } finally {
      await pool.close();
    }
  }, 240_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  for (const [path, args] of PROGRAMS) {
    it(`${path} ${args.join(' ')}`, () => {
      const work = mkdtempSync(join(dir, 'run-'));
      prepareWorkdir(work);
      const host = traceOnPty(plugin, [binaries[path], ...args], work, join(work, 'qemu.log'));
      const main = host[0].pid;
      const theirs = oneReadPerRun(host.filter((c) => c.pid === main && c.text !== undefined && !c.interleaved), qemuName, (c) => String(c.args[0]));
      const ours = guestCalls(traced, `/${path}`, args);
      expect(ours.map((c) => c.record.name)).toEqual(theirs.map(qemuName));
      const differences: string[] = [];
      let compared = 0;
      for (const [k, q] of theirs.entries()) {
        const mine = ours[k].record;
        const spec = SYSCALLS.get(mine.nr);
        if (isRaw(q, qemuArgs(q))) continue;
        for (const r of compareArgs(mine.name, qemuArgs(q), mine)) {
          const kind = spec?.args[r.index];
          if (kind?.out) continue; // G3
          if (isAddress(r.qemu) || isAddress(r.ours)) continue; // G2
          if (kind?.kind === 'fd' && /^\d+$/.test(r.ours) && Number(r.ours) >= 3) {
            expect(r.qemu, `${mine.name} fd`).toBe(String(Number(r.ours) + 1)); // G6
            compared++;
            continue;
          }
          if (r.outcome === 'same') compared++;
          if (r.outcome === 'differs') differences.push(`${mine.name} arg ${r.index}: qemu ${r.qemu}, guest ${r.ours}\n    qemu:  ${q.text}\n    guest: ${mine.name}(${mine.args.join(', ')})`);
        }
      }
      expect(differences).toEqual([]);
      expect(compared).toBeGreaterThan(theirs.length / 2);
    });
  }
});
