// Syscall decoding checked against a real tracer: the demo programs and
// BusyBox applets of the default image run on the host under
// `qemu-riscv64 -strace`, with a plugin (qemu-syscall-plugin.c) logging the
// raw number, registers and return of every call beside qemu's own decoding.
// Our decoder gets those registers (and the memory qemu's text shows: its
// strings, argv arrays and timespecs), and its names, arguments and returns
// must agree with qemu's under the normalisation of qemu-compare.ts.
// Without qemu-riscv64 or a C compiler these tests skip, except under
// CI=true, where they fail. (The comparison with a recorded guest comes when
// the machine's syscall hooks land.)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errnoText } from '../../src/analysis/syscalls/errno.ts';
import { decodeSyscall, enterSyscall, syscallName, unfinishedSyscall, type SyscallRecord } from '../../src/analysis/syscalls/index.ts';
import { buildPlugin, extractInitrd, haveCompiler, prepareWorkdir, qemuVersion, runTraced, type QemuCall } from './qemu.ts';
import { compareArgs, compareReturn, isRaw, memoryFrom, splitArgs, type Outcome } from './qemu-compare.ts';

const required = process.env.CI === 'true';
const version = qemuVersion();
const compiler = haveCompiler();

/** What runs: [label, initrd file, arguments, stdin]. */
const PROGRAMS: [string, string, string[], string?][] = [
  ['cpubench', 'demo/cpubench', ['1']],
  ['fileproc', 'demo/fileproc', ['fp.txt', '30']],
  ['forkpipe', 'demo/forkpipe', ['1']],
  ['diverge a', 'demo/diverge', ['a']],
  ['diverge b', 'demo/diverge', ['b']],
  ['diverge stdin', 'demo/diverge', [], 'b\n'],
  ['memtouch', 'demo/memtouch', ['16', '1']],
  ['busybox echo', 'bin/busybox', ['echo', 'hi']],
  ['busybox cat', 'bin/busybox', ['cat', 'f.txt', 'missing']],
  ['busybox ls -l', 'bin/busybox', ['ls', '-la', '.']],
  ['busybox uname', 'bin/busybox', ['uname', '-a']],
  ['busybox stat', 'bin/busybox', ['stat', 'f.txt']],
  ['busybox mkdir/rmdir', 'bin/busybox', ['sh', '-c', 'mkdir -p sub/a/b && rmdir sub/a/b sub/a']],
  ['busybox cp/mv/rm', 'bin/busybox', ['sh', '-c', 'cp f.txt g.txt && mv g.txt h.txt && chmod 600 h.txt && ln -s h.txt l && readlink l && rm -f h.txt l']],
  ['busybox sh pipe', 'bin/busybox', ['sh', '-c', 'echo a | cat; sort numbers | head -n 1; exit 3']],
  ['busybox wc/sort', 'bin/busybox', ['sh', '-c', 'wc f.txt; sort -r numbers; tail -n 1 f.txt; od -c numbers']],
  ['busybox sleep', 'bin/busybox', ['sleep', '0.01']],
  ['busybox dd', 'bin/busybox', ['dd', 'if=f.txt', 'of=d.out', 'bs=4']],
  ['busybox misc', 'bin/busybox', ['sh', '-c', 'id; pwd; true; false; touch t; test -e t; env; date -u -d @0; kill -0 $$']],
];

interface Tally {
  calls: number;
  interleaved: number;
  named: number;
  qemuUnknown: number;
  raw: number;
  args: Record<Outcome, number>;
  rets: Record<Outcome, number>;
  differences: string[];
}

function compareCall(call: QemuCall, tally: Tally): void {
  tally.calls++;
  const name = syscallName(call.nr);
  if (call.text === undefined) return;
  if (call.interleaved) {
    tally.interleaved++;
    return;
  }
  const unknown = /^Unknown syscall (\d+)$/.exec(call.text);
  if (unknown) {
    tally.qemuUnknown++;
    if (Number(unknown[1]) !== call.nr) tally.differences.push(`nr ${call.nr}: qemu says unknown syscall ${unknown[1]}`);
    return;
  }
  const qemuName = call.text.slice(0, call.text.indexOf('('));
  tally.named++;
  if (qemuName !== name) tally.differences.push(`nr ${call.nr}: qemu ${qemuName}, ours ${name}`);
  const qemuArgs = splitArgs(call.text.slice(qemuName.length + 1, -1));
  const mem = memoryFrom(call, qemuArgs);
  const record: SyscallRecord = call.ret === undefined
    ? unfinishedSyscall(enterSyscall({ nr: call.nr, args: call.args }, mem.read, { strsize: 65536 }))
    : decodeSyscall({ nr: call.nr, args: call.args }, call.ret, mem.read, mem.read, { strsize: 65536 });
  const ours = `${record.name}(${record.args.join(', ')}) = ${record.ret}`;
  if (isRaw(call, qemuArgs)) {
    tally.raw++;
  } else {
    for (const r of compareArgs(name, qemuArgs, record)) {
      tally.args[r.outcome]++;
      if (r.outcome === 'differs') tally.differences.push(`${name} arg ${r.index}: qemu ${r.qemu}, ours ${r.ours}\n    qemu: ${call.text}\n    ours: ${ours}`);
    }
  }
  if (call.retText !== undefined && call.ret !== undefined && name !== 'clone' && name !== 'rt_sigreturn') {
    const o = compareReturn(call.retText, record, errnoText);
    tally.rets[o]++;
    if (o === 'differs') tally.differences.push(`${name} return: qemu ${call.retText}, ours ${record.ret}`);
  }
}

describe.runIf((version !== undefined && compiler) || required)('syscall decoding agrees with qemu-riscv64 -strace', () => {
  let dir: string;
  let plugin: string;
  let binaries: Record<string, string>;
  const total: Tally = { calls: 0, interleaved: 0, named: 0, qemuUnknown: 0, raw: 0, args: { same: 0, 'qemu-undecoded': 0, skipped: 0, differs: 0 }, rets: { same: 0, 'qemu-undecoded': 0, skipped: 0, differs: 0 }, differences: [] };

  beforeAll(() => {
    expect(version, `${required ? 'CI=true: ' : ''}qemu-riscv64 is required (apt-get install qemu-user)`).toBeDefined();
    expect(compiler, `${required ? 'CI=true: ' : ''}a C compiler is required to build the qemu plugin (apt-get install gcc)`).toBe(true);
    console.log(`comparing with ${version}`);
    dir = mkdtempSync(join(tmpdir(), 'prnr-qemu-strace-'));
    plugin = buildPlugin(dir);
    binaries = extractInitrd(dir, [...new Set(PROGRAMS.map(([, file]) => file))]);
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    if (total.calls) console.log(`all programs: ${JSON.stringify({ ...total, differences: total.differences.length })}`);
  });

  for (const [label, file, args, stdin] of PROGRAMS) {
    it(label, () => {
      const work = mkdtempSync(join(dir, 'run-'));
      prepareWorkdir(work);
      const calls = runTraced(plugin, [binaries[file], ...args], work, join(dir, `${label.replace(/\W/g, '_')}.log`), stdin);
      const tally: Tally = { calls: 0, interleaved: 0, named: 0, qemuUnknown: 0, raw: 0, args: { same: 0, 'qemu-undecoded': 0, skipped: 0, differs: 0 }, rets: { same: 0, 'qemu-undecoded': 0, skipped: 0, differs: 0 }, differences: [] };
      for (const call of calls) compareCall(call, tally);
      for (const k of ['calls', 'interleaved', 'named', 'qemuUnknown', 'raw'] as const) total[k] += tally[k];
      for (const o of Object.keys(tally.args) as Outcome[]) {
        total.args[o] += tally.args[o];
        total.rets[o] += tally.rets[o];
      }
      total.differences.push(...tally.differences);
      console.log(`${label}: ${tally.calls} calls (${tally.interleaved} with another process's output cut in), ${tally.named} named by qemu, ${tally.raw} printed raw by qemu; arguments ${JSON.stringify(tally.args)}; returns ${JSON.stringify(tally.rets)}`);
      expect(tally.differences.slice(0, 20), `${label}: ${tally.differences.length} differences from qemu`).toEqual([]);
      expect(tally.named).toBeGreaterThan(5);
      expect(tally.interleaved, `${label}: too many calls interleaved with another process's output`).toBeLessThanOrEqual(Math.ceil(tally.calls / 20));
      expect(tally.args.same).toBeGreaterThan(5);
    });
  }
});
