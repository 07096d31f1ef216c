// Builds an image's OS introspection profile (profile.json) from what the
// kernel build left behind: pahole's view of the DWARF in the unstripped
// vmlinux, the preprocessed __NR_* macros of the kernel's own uapi headers,
// System.map and .config.  Format: OsProfile in src/analysis/os-profile.ts.
//
// usage: tsx make-profile.ts --pahole pahole.txt --syscalls syscalls.txt
//          --system-map System.map --config .config --release R --out profile.json

import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  OS_PROFILE_FORMAT,
  OS_PROFILE_VERSION,
  parseOsProfile,
  type OsProfile,
  type StructLayout,
} from '../../src/analysis/os-profile.ts';

/** Fields every consumer may rely on; the build fails if one is missing. */
const REQUIRED_FIELDS: Record<string, string[]> = {
  task_struct: ['thread_info', 'stack', 'tasks', 'mm', 'active_mm', 'pid', 'tgid', 'real_parent', 'parent', 'comm', 'thread'],
  mm_struct: ['pgd'],
  thread_info: ['flags', 'kernel_sp', 'user_sp', 'cpu'],
  thread_struct: ['ra', 'sp', 's'],
};

/** Symbols for tracing and symbolisation; the build fails if one is missing. */
const SYMBOLS = [
  '_start',
  '_stext',
  '_etext',
  '_end',
  'init_task',
  'swapper_pg_dir',
  'handle_exception',
  'ret_from_exception',
  'ret_from_fork',
  '__switch_to',
  'do_trap_ecall_u',
  'sys_call_table',
  'schedule',
  'do_idle',
];

const { values } = parseArgs({
  options: {
    pahole: { type: 'string' },
    syscalls: { type: 'string' },
    'system-map': { type: 'string' },
    config: { type: 'string' },
    release: { type: 'string' },
    out: { type: 'string' },
  },
});
function need(key: keyof typeof values): string {
  const value = values[key];
  if (value === undefined) throw new Error(`make-profile: --${key} is required`);
  return value;
}

/**
 * pahole -C a,b,c output: "struct name {", member lines ending in
 * "/* offset size *\/" (offsets are absolute even inside anonymous
 * structs and unions), and a closing "/* size: N, ... *\/" comment.
 */
function parsePahole(text: string): Record<string, StructLayout> {
  const structs: Record<string, StructLayout> = {};
  let current: StructLayout | null = null;
  let depth = 0;
  for (const line of text.split('\n')) {
    const open = /^struct (\w+) \{\s*$/.exec(line);
    if (open && depth === 0) {
      current = { size: 0, fields: {} };
      structs[open[1]!] = current;
      depth = 1;
      continue;
    }
    if (!current) continue;
    if (/\{\s*$/.test(line)) depth++;
    if (/^\s*\}/.test(line)) {
      depth--;
      if (depth === 0) current = null;
      continue;
    }
    const size = /\/\* size: (\d+),/.exec(line);
    if (size && depth === 1) {
      current.size = Number(size[1]);
      continue;
    }
    // "type name[16];  /* 1168 16 */", bit fields "/* 1168: 0  4 */", function pointers "(*name)(...);"
    const member =
      /(?:\(\*(\w+)\)\(.*\)|(\w+)(?:\[\d*\])*)(?:\s*:\s*\d+)?;\s*\/\*\s*(\d+)(?::\s*\d+)?\s+(\d+)\s*\*\/\s*$/.exec(line);
    if (member) {
      const name = (member[1] ?? member[2])!;
      current.fields[name] ??= { offset: Number(member[3]), size: Number(member[4]) };
    }
  }
  return structs;
}

/** Lines '@@ "write" = 64' (or '= (244 + 15)') -> { "64": "write" }. */
function parseSyscalls(text: string): Record<string, string> {
  const byNumber = new Map<number, string>();
  for (const line of text.split('\n')) {
    const m = /^@@ "(\w+)" = (.+)$/.exec(line.trim());
    if (!m) continue;
    const [, name, expr] = m as unknown as [string, string, string];
    if (name === 'syscalls' || name === 'arch_specific_syscall') continue;
    if (!/^[\d\s()+]+$/.test(expr)) continue; // an unexpanded or non-numeric macro
    const nr = expr
      .replace(/[()\s]/g, '')
      .split('+')
      .reduce((sum, term) => sum + Number(term), 0);
    const existing = byNumber.get(nr);
    if (existing && existing !== name) throw new Error(`make-profile: syscall ${nr} is both ${existing} and ${name}`);
    byNumber.set(nr, name);
  }
  const out: Record<string, string> = {};
  for (const nr of [...byNumber.keys()].sort((a, b) => a - b)) out[String(nr)] = byNumber.get(nr)!;
  return out;
}

function parseSystemMap(text: string): Record<string, string> {
  const all = new Map<string, string>();
  for (const line of text.split('\n')) {
    const [address, , name] = line.split(' ');
    if (address && name && !all.has(name)) all.set(name, `0x${address.replace(/^0+(?=.)/, '')}`);
  }
  const out: Record<string, string> = {};
  for (const name of SYMBOLS) {
    const address = all.get(name);
    if (!address) throw new Error(`make-profile: symbol ${name} not in System.map`);
    out[name] = address;
  }
  return out;
}

const structs = parsePahole(readFileSync(need('pahole'), 'utf8'));
for (const [name, fields] of Object.entries(REQUIRED_FIELDS)) {
  const layout = structs[name];
  if (!layout || layout.size === 0) throw new Error(`make-profile: struct ${name} not found in pahole output`);
  for (const field of fields) {
    if (!layout.fields[field]) throw new Error(`make-profile: ${name}.${field} not found in pahole output`);
  }
}
const hz = Number(/^CONFIG_HZ=(\d+)$/m.exec(readFileSync(need('config'), 'utf8'))?.[1]);
const syscalls = parseSyscalls(readFileSync(need('syscalls'), 'utf8'));
if (syscalls['64'] !== 'write' || syscalls['93'] !== 'exit' || syscalls['221'] !== 'execve') {
  throw new Error('make-profile: syscall table does not look like riscv64 (write=64, exit=93, execve=221)');
}

const profile: OsProfile = {
  format: OS_PROFILE_FORMAT,
  version: OS_PROFILE_VERSION,
  kernel: { release: need('release'), arch: 'riscv64', hz },
  structs,
  symbols: parseSystemMap(readFileSync(need('system-map'), 'utf8')),
  syscalls,
};
const text = JSON.stringify(profile, null, 2) + '\n';
parseOsProfile(text);
writeFileSync(need('out'), text);
