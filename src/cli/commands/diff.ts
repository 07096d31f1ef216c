// `prnr diff A B`: where two executions part ways (docs/design.md 5, diff).
// Both recordings' syscall traces (the syscalls analysis, cached beside each
// recording) are split per process, processes paired by their place in the
// fork tree, calls normalised and aligned; prints the first divergence with
// calls of context on each side and both ticks (prnr seek --tick lands on the
// call), then every divergence in a summary. Exit 0 when equivalent, 1 when
// they differ, 2 on bad input (a file that is not a recording, one that does
// not replay, a bad command line).
import { diffTraces, divergenceText, type Divergence, type ProcessTrace, type TraceDiff } from '../../analysis/diff/diff';
import type { SyscallsResult, TracedCall } from '../../analysis/dimensions/index';
import { callLine } from '../../analysis/trace';
import { errorMessage } from '../../shared/errors';
import { runAnalyses } from '../analysis-runner';
import { commandUsage, parseCommandArgs, type OptionTable, JIT_OPTIONS } from '../args';
import type { Command } from '../command';
import { useInterpreterOnly } from '../jit';
import { EXIT_USAGE, UsageError } from '../errors';
import { JOBS_HELP, jobsOption } from '../jobs';

const options = {
  jobs: { type: 'string', short: 'j', arg: 'N', help: JOBS_HELP },
  context: { type: 'string', short: 'C', arg: 'N', help: 'calls of context before and after the first divergence (default 3)' },
  json: { type: 'boolean', help: 'the divergences as one JSON object instead' },
  ...JIT_OPTIONS,
} as const satisfies OptionTable;

/** How many divergences the summary lists before it only counts. */
const LISTED = 20;
/** The most differing calls shown of the first divergence, per side. */
const SHOWN = 12;

function side(d: Divergence, which: 'a' | 'b'): string {
  const p = d[which];
  return p ? `${p.pid} ${p.comm}` : 'absent';
}

function describe(d: Divergence): string {
  return `process ${d.key} (A: ${side(d, 'a')}, B: ${side(d, 'b')}): ${divergenceText(d)}; A tick ${d.aTick ?? '-'}, B tick ${d.bTick ?? '-'}`;
}

/** Context around one side of a divergence: `n` calls before, the differing ones (marked), `n` after. */
function contextLines(p: ProcessTrace | undefined, start: number, end: number, n: number, mark: string): string[] {
  if (!p) return ['  (no such process)'];
  const line = (c: TracedCall, m: string) => `${m} ${callLine(c)}`;
  const out = p.calls.slice(Math.max(0, start - n), start).map((c) => line(c, ' '));
  const differing = p.calls.slice(start, end);
  out.push(...differing.slice(0, SHOWN).map((c) => line(c, mark)));
  if (differing.length > SHOWN) out.push(`${mark} ... ${differing.length - SHOWN} more`);
  if (differing.length === 0) out.push(`${mark} (nothing here)`);
  out.push(...p.calls.slice(end, end + n).map((c) => line(c, ' ')));
  return out.map((l) => `  ${l}`);
}

function report(diff: TraceDiff, names: [string, string], n: number): string[] {
  const { processes: p, calls } = diff;
  const summary = [
    `processes: ${p.a} in A, ${p.b} in B; ${p.paired} paired, ${p.differing} of them differ; ${p.onlyA} only in A, ${p.onlyB} only in B`,
    `calls: ${calls.a} in A, ${calls.b} in B; ${diff.divergences.length} divergence${diff.divergences.length === 1 ? '' : 's'}`,
  ];
  if (diff.equivalent) return [`equivalent: the syscall traces of A (${names[0]}) and B (${names[1]}) match, process by process`, ...summary];
  const first = diff.divergences[0];
  const out = [
    `A: ${names[0]}`,
    `B: ${names[1]}`,
    `first divergence: ${describe(first)}`,
    'A:',
    ...contextLines(diff.a.get(first.key), first.aStart, first.aEnd, n, '-'),
    'B:',
    ...contextLines(diff.b.get(first.key), first.bStart, first.bEnd, n, '+'),
    '',
    ...summary,
    ...diff.divergences.slice(0, LISTED).map((d) => `  ${describe(d)}`),
  ];
  if (diff.divergences.length > LISTED) out.push(`  ... ${diff.divergences.length - LISTED} more`);
  return out;
}

function json(diff: TraceDiff): string {
  return JSON.stringify({
    equivalent: diff.equivalent,
    processes: diff.processes,
    calls: diff.calls,
    divergences: diff.divergences.map((d) => ({ ...d, aTick: d.aTick?.toString() ?? null, bTick: d.bTick?.toString() ?? null })),
  });
}

export const command: Command = {
  name: 'diff',
  summary: 'where two recordings\' executions part ways: their syscall traces aligned per process',
  usage: commandUsage('prnr diff A.prnr B.prnr [--jobs N] [-C N] [--json]', [
    'Traces the syscalls of both recordings (cached beside each, as prnr trace does), pairs their',
    'processes by their place in the fork tree, and aligns each pair\'s calls, normalised: no',
    'addresses (pointers, mmap and brk results), no times. Prints the first divergence with calls of',
    'context on each side and both ticks, then every divergence. Exits 0 when the recordings are',
    'equivalent, 1 when they differ, 2 on bad input.',
  ], options),
  async run(argv) {
    const { values, positionals } = parseCommandArgs('diff', argv, options, { positionals: true });
    if (values['no-jit']) useInterpreterOnly();
    if (positionals.length !== 2) throw new UsageError('diff takes two recording files');
    const context = values.context === undefined ? 3 : Number(values.context);
    if (!Number.isInteger(context) || context < 0 || context > 1000) throw new UsageError(`-C takes a number of calls from 0 to 1000, got ${values.context}`);
    const jobs = jobsOption(values.jobs);
    const traces: SyscallsResult[] = [];
    for (const file of positionals) {
      try {
        const run = await runAnalyses({ file, jobs, requests: [{ dimension: 'syscalls', params: {} }] });
        traces.push(run.outcome.dimensions[0].result as SyscallsResult);
      } catch (err) {
        process.stderr.write(`prnr: diff: ${file}: ${errorMessage(err)}\n`);
        return EXIT_USAGE;
      }
    }
    for (const [k, t] of traces.entries()) if (t.note) process.stderr.write(`prnr: note: ${positionals[k]}: ${t.note}; its calls are compared as one sequence\n`);
    const diff = diffTraces(traces[0].calls, traces[1].calls);
    console.log(values.json ? json(diff) : report(diff, [positionals[0], positionals[1]], context).join('\n'));
    return diff.equivalent ? 0 : 1;
  },
};
