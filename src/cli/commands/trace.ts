// `prnr trace FILE`: every syscall of a recording, strace-like, with the tick
// and the task in front; from the syscalls analysis (docs/design.md 5),
// replayed on worker threads with every slice verified, and cached beside
// the recording, so a second trace (other filters, -c, --json) replays nothing.
import type { SyscallsResult } from '../../analysis/dimensions/index';
import { SYSCALL_NAMES, callJson, callLine, filterCalls, summarize, summaryTable } from '../../analysis/trace';
import { runAnalyses } from '../analysis-runner';
import { commandUsage, didYouMean, parseCommandArgs, type OptionTable, JIT_OPTIONS } from '../args';
import type { Command } from '../command';
import { useInterpreterOnly } from '../jit';
import { UsageError } from '../errors';
import { JOBS_HELP, jobsOption } from '../jobs';
import { ProgressLines } from '../progress';

const options = {
  jobs: { type: 'string', short: 'j', arg: 'N', help: JOBS_HELP },
  expr: { type: 'string', short: 'e', multiple: true, arg: 'trace=NAMES', help: 'only these syscalls, comma-separated (strace -e trace=openat,read)' },
  pid: { type: 'string', short: 'p', multiple: true, arg: 'PID', help: 'only this process or thread (repeatable)' },
  strsize: { type: 'string', short: 's', arg: 'N', help: 'print at most N bytes of each string or buffer (default 32)' },
  summary: { type: 'boolean', short: 'c', help: 'a table per syscall instead: calls, errors, ticks spent' },
  json: { type: 'boolean', help: 'one JSON object per line and call (tick, pid, tid, comm, name, args, ret, errno, ...)' },
  output: { type: 'string', short: 'o', arg: 'DIR', help: 'keep the analysis in DIR (default FILE.analysis beside the recording)' },
  ...JIT_OPTIONS,
} as const satisfies OptionTable;

/** -e trace=a,b or -e a,b: the set of names, each one a syscall. */
export function traceNames(exprs: readonly string[]): Set<string> | undefined {
  if (exprs.length === 0) return undefined;
  const names = new Set<string>();
  for (const expr of exprs) {
    const m = /^(?:trace=)?(.*)$/.exec(expr)!;
    if (/^\w+=/.test(expr) && !expr.startsWith('trace=')) throw new UsageError(`-e ${expr}: only trace=NAMES is supported`);
    for (const name of m[1].split(',').map((s) => s.trim()).filter(Boolean)) {
      if (!SYSCALL_NAMES.includes(name)) throw new UsageError(`-e: no syscall "${name}" on riscv64${didYouMean(name, SYSCALL_NAMES)}`);
      names.add(name);
    }
  }
  if (names.size === 0) throw new UsageError('-e trace= names no syscall');
  return names;
}

export function pidOptions(values: readonly string[]): Set<number> | undefined {
  if (values.length === 0) return undefined;
  return new Set(values.map((v) => {
    if (!/^\d+$/.test(v) || Number(v) > 0x3fffffff) throw new UsageError(`-p takes a process id (a whole number), got ${JSON.stringify(v)}`);
    return Number(v);
  }));
}

export function strsizeOption(text: string | undefined): number {
  if (text === undefined) return 32;
  if (!/^\d+$/.test(text) || Number(text) > 1 << 20) throw new UsageError(`-s takes a byte count from 0 to ${1 << 20}, got ${JSON.stringify(text)}`);
  return Number(text);
}

export const command: Command = {
  name: 'trace',
  summary: 'print every syscall of a recording, strace-like, with its tick and process',
  usage: commandUsage('prnr trace FILE.prnr [--jobs N] [-e trace=NAMES] [-p PID] [-s N] [-c] [--json]', [
    'Replays every slice with the syscall hooks on (each slice verified against its state root) and',
    'prints each call as strace does, after its entry tick and the calling process:',
    '  [45012345] 31 sh  openat(AT_FDCWD, "/etc/passwd", O_RDONLY) = 3',
    'A call that blocks across slices appears once, whole, at its entry tick; seeking to that tick',
    '(prnr seek) shows the machine at the trap its ecall entered. The analysis is kept beside the',
    'recording: tracing it again, with other filters, replays nothing.',
  ], options),
  async run(argv) {
    const { values, positionals } = parseCommandArgs('trace', argv, options, { positionals: true });
    if (values['no-jit']) useInterpreterOnly();
    if (positionals.length !== 1) throw new UsageError('trace takes one recording file');
    if (values.summary && values.json) throw new UsageError('-c and --json do not go together: pick the table or the calls');
    const names = traceNames(values.expr ?? []);
    const pids = pidOptions(values.pid ?? []);
    const strsize = strsizeOption(values.strsize);
    const jobs = jobsOption(values.jobs);
    const file = positionals[0];
    const started = Date.now();
    let progress: ProgressLines | undefined;
    const run = await runAnalyses({
      file,
      jobs,
      dir: values.output,
      requests: [{ dimension: 'syscalls', params: { strsize } }],
      onProgress: (p) => (progress ??= new ProgressLines(process.stderr, ['syscalls'], p.total, started)).update(p),
    });
    progress?.done(true);
    const result = run.outcome.dimensions[0].result as SyscallsResult;
    if (result.note) process.stderr.write(`prnr: note: every task shows as "unknown task": ${result.note}\n`);
    const calls = filterCalls(result.calls, { names, pids });
    const out: string[] = [];
    if (values.summary) out.push(...summaryTable(summarize(calls)));
    else if (values.json) for (const c of calls) out.push(JSON.stringify(callJson(c)));
    else for (const c of calls) out.push(callLine(c));
    if (out.length > 0) process.stdout.write(`${out.join('\n')}\n`);
    return 0;
  },
};
