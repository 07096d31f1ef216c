// Running guest binaries under `qemu-riscv64 -strace` with the syscall
// plugin (qemu-syscall-plugin.c) and reading back, per call, what qemu
// printed and the raw registers it decoded. Used by qemu-strace.test.ts.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { readCpio } from '../disasm/objdump.ts';

export const QEMU = 'qemu-riscv64';
export const CC = process.env.CC ?? 'cc';

export function qemuVersion(): string | undefined {
  const r = spawnSync(QEMU, ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.split('\n')[0] : undefined;
}

export function haveCompiler(): boolean {
  return spawnSync(CC, ['--version'], { encoding: 'utf8' }).status === 0;
}

/** Build the plugin into `dir`; returns its path. */
export function buildPlugin(dir: string): string {
  const out = join(dir, 'syscall-plugin.so');
  const src = new URL('./qemu-syscall-plugin.c', import.meta.url).pathname;
  const r = spawnSync(CC, ['-shared', '-fPIC', '-O2', '-Wall', '-o', out, src], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`building the qemu plugin failed:\n${r.stderr}`);
  return out;
}

/** Extract the named files of the default image's initrd into `dir` under their base names (busybox finds its applet by argv[0]). */
export function extractInitrd(dir: string, names: string[]): Record<string, string> {
  const files = readCpio(gunzipSync(readFileSync(new URL('../../public/images/default/initrd.cpio.gz', import.meta.url))));
  const paths: Record<string, string> = {};
  for (const name of names) {
    const data = files.get(name);
    if (!data) throw new Error(`initrd has no ${name}`);
    const path = join(dir, basename(name));
    writeFileSync(path, data);
    chmodSync(path, 0o755);
    paths[name] = path;
  }
  return paths;
}

/** One syscall as qemu saw it: the plugin's registers, qemu's -strace text, and the return. */
export interface QemuCall {
  pid: number;
  nr: number;
  args: bigint[];
  /** qemu's entry text: "openat(AT_FDCWD,\"/etc/passwd\",O_RDONLY)" or "Unknown syscall 258". */
  text: string | undefined;
  /** qemu's return text after " = ", when it can be told which call printed it. */
  retText: string | undefined;
  /** The raw return value (a0), undefined if the call never returned (exit_group, a successful execve). */
  ret: bigint | undefined;
  /** Another process's output cut into this call's text: not comparable. */
  interleaved: boolean;
}

/** A piece of another process inside a call's text: a plugin line, an entry "PID name(", a return " = ", a line end. */
const FOREIGN = /@[ER] \d|\d+ [a-z_0-9]+\(| = |\n/;

/** The text without its string literals and structs (qemu prints "{tv_sec = 0,...}"). */
function bare(text: string): string {
  let s = text.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  for (let prev = ''; prev !== s; ) [prev, s] = [s, s.replace(/\{[^{}]*\}/g, '{}')];
  return s;
}

const TASKSET = spawnSync('taskset', ['-c', '0', 'true']).status === 0;

/**
 * Run `argv` under qemu with -strace and the plugin, in `cwd`; returns the
 * log's calls. qemu writes one call's text in several pieces, so the pieces
 * of processes running at the same time can interleave: the run is pinned to
 * one CPU (taskset) to make that rare, and calls whose text shows another
 * process's piece are marked (QemuCall.interleaved) rather than compared.
 */
export function runTraced(plugin: string, argv: string[], cwd: string, log: string, stdin = ''): QemuCall[] {
  const command = [QEMU, '-plugin', plugin, '-d', 'plugin,strace', '-D', log, ...argv];
  const [file, ...args] = TASKSET ? ['taskset', '-c', '0', ...command] : command;
  const r = spawnSync(file, args, {
    cwd, input: stdin, encoding: 'latin1', timeout: 60_000, env: { PATH: '/usr/bin:/bin', HOME: cwd, LANG: 'C' },
  });
  if (r.error) throw r.error;
  return parseLog(readFileSync(log, 'latin1'));
}

/** Where the entry text qemu printed for a call ends: its closing parenthesis (quotes and nesting respected). */
function entryEnd(log: string, open: number): number {
  let depth = 0;
  for (let i = open; i < log.length; i++) {
    const c = log[i];
    if (c === '"') {
      for (i++; i < log.length && log[i] !== '"'; i++) if (log[i] === '\\') i++;
    } else if (c === '@' && /^@[ER] \d/.test(log.slice(i, i + 4))) {
      return i;
    } else if (c === '(' || c === '{' || c === '[') depth++;
    else if (c === ')' || c === '}' || c === ']') {
      if (--depth === 0) return i + 1;
    } else if (c === '\n') return i;
  }
  return log.length;
}

/**
 * Split qemu's log into its pieces: qemu writes (and flushes) each piece at
 * once, so pieces of different processes interleave but never mix. Pieces:
 * "@E ..." and "@R ..." lines from the plugin, "PID name(args)" or
 * "PID Unknown syscall N" entries, and " = ret" returns, which carry no pid:
 * a return belongs to the process whose @R line comes next, if no other
 * return is still unclaimed (else it is dropped as ambiguous).
 */
export function parseLog(log: string): QemuCall[] {
  const calls: QemuCall[] = [];
  const open = new Map<number, QemuCall>();
  const unclaimed: string[] = [];
  const plugin = /^@([ER]) (\d+) (-?\d+)((?: [0-9a-f]+)*| -?\d+)\n/;
  const entry = /^(\d+) (Unknown syscall \d+|[a-z_0-9]+\()/;
  for (let at = 0; at < log.length; ) {
    const rest = log.slice(at, at + 512);
    let m = plugin.exec(rest);
    if (m) {
      const pid = Number(m[2]);
      if (m[1] === 'E') {
        const call: QemuCall = { pid, nr: Number(m[3]), args: m[4].trim().split(' ').map((h) => BigInt(`0x${h}`)), text: undefined, retText: undefined, ret: undefined, interleaved: false };
        calls.push(call);
        open.set(pid, call);
      } else {
        const call = open.get(pid);
        if (call) {
          call.ret = BigInt(m[4].trim());
          if (unclaimed.length === 1 && /^(-?\d+|0x[0-9a-f]+)( errno=\d+ \([^()]*\))?( \(.*\))?$/.test(unclaimed[0])) call.retText = unclaimed[0];
          open.delete(pid);
        }
        unclaimed.length = 0;
      }
      at += m[0].length;
      continue;
    }
    m = entry.exec(rest);
    if (m) {
      const start = at + m[1].length + 1;
      const end = m[2].startsWith('Unknown') ? start + m[2].length : entryEnd(log, start + m[2].length - 1);
      const call = open.get(Number(m[1]));
      if (call && call.text === undefined) {
        call.text = log.slice(start, end);
        const inner = bare(call.text.slice(call.text.indexOf('(') + 1));
        call.interleaved = !call.text.startsWith('Unknown') && (FOREIGN.test(inner) || !call.text.endsWith(')'));
      }
      at = end;
      continue;
    }
    if (rest.startsWith(' = ')) {
      const nl = log.indexOf('\n', at);
      const end = nl < 0 ? log.length : nl;
      unclaimed.push(log.slice(at + 3, end));
      at = end + 1;
      continue;
    }
    at++;
  }
  return calls;
}

/** Make `dir` with the files the applets work on. */
export function prepareWorkdir(dir: string): void {
  mkdirSync(join(dir, 'sub'), { recursive: true });
  writeFileSync(join(dir, 'f.txt'), 'hello\nworld\n');
  writeFileSync(join(dir, 'numbers'), '3\n1\n2\n');
}
