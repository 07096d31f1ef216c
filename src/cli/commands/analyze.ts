// `prnr analyze FILE --syscalls --processes ...`: several analyses of a
// recording at once (docs/design.md 4, 5: one replay of each slice feeds
// every dimension asked for, each slice verified against its state root),
// a progress line per dimension, each result written with its provenance to
// FILE.analysis/<dimension>.json (or -o DIR), every slice's partial cached
// there so the same analysis again returns at once.
import type { ConsoleResult, HotspotsResult, ProcessesResult, SyscallsResult, WatchResult } from '../../analysis/dimensions/index';
import { createAnalysisRuntime } from '../../analysis/runtime';
import { combineNeeds, type DimensionRequest } from '../../shared/analysis';
import { errorMessage } from '../../shared/errors';
import { runAnalyses } from '../analysis-runner';
import { commandUsage, parseCommandArgs, watchOption, type OptionTable, JIT_OPTIONS } from '../args';
import type { Command } from '../command';
import { useInterpreterOnly } from '../jit';
import { UsageError } from '../errors';
import { JOBS_HELP, jobsOption } from '../jobs';
import { ProgressLines } from '../progress';
import { isRecordingUrl, localRecordingFile } from '../remote';
import { QUEUE_HELP, queueOption } from '../queue/connection';
import { strsizeOption } from './trace';

/** Each dimension's switch, and the one line that sums its result up. */
const DIMENSION_SWITCHES: Record<string, { help: string; summary(result: unknown): string }> = {
  syscalls: {
    help: 'every syscall, decoded as strace prints it (prnr trace prints them)',
    summary: (r) => {
      const { calls } = r as SyscallsResult;
      return `${calls.length} calls, ${calls.filter((c) => c.record.errno !== null).length} failed, in ${new Set(calls.map((c) => c.who?.pid ?? c.task)).size} processes`;
    },
  },
  processes: {
    help: 'which task ran when; forks, execs and exits with parent links',
    summary: (r) => {
      const p = r as ProcessesResult;
      return `${p.processes.length} processes, ${p.forks.length} forks, ${p.execs.length} execs, ${p.exits.length} exits, ${p.runs.length} runs`;
    },
  },
  console: {
    help: 'console output by tick',
    summary: (r) => `${(r as ConsoleResult).bytes} bytes in ${(r as ConsoleResult).chunks.length} chunks`,
  },
  hotspots: {
    help: 'PC samples every --every ticks, by kernel function and program',
    summary: (r) => {
      const h = r as HotspotsResult;
      const top = h.functions.slice(0, 3).map((f) => `${f.name} ${(f.share * 100).toFixed(1)}%`).join(', ');
      return `${h.total} samples; most: ${top || 'none'}`;
    },
  },
};

function watchSummary(r: WatchResult): string {
  const first = r.writes[0];
  const same = r.writes.filter((w) => w.same).length;
  const who = (w: WatchResult['writes'][number]) => (w.who ? `${w.who.pid} ${w.who.comm}` : w.where);
  const space = r.pid === undefined ? '' : `pid ${r.pid} `;
  const pages = r.mappings && new Set(r.mappings.filter((m) => m.paddr !== null).map((m) => m.paddr)).size;
  const maps = r.mappings === undefined ? '' : `, mapped to ${pages} physical page${pages === 1 ? '' : 's'} in turn (${r.mappings.length} mapping changes)`;
  return `${space}0x${r.addr.toString(16)}:${r.length}: ${r.writes.length} write${r.writes.length === 1 ? '' : 's'} (${same} of the value already there)${first ? `, the first at tick ${first.tick} by ${who(first)} at ${first.place}` : ''}${maps}`;
}

const options = {
  syscalls: { type: 'boolean', help: DIMENSION_SWITCHES.syscalls.help },
  processes: { type: 'boolean', help: DIMENSION_SWITCHES.processes.help },
  console: { type: 'boolean', help: DIMENSION_SWITCHES.console.help },
  hotspots: { type: 'boolean', help: DIMENSION_SWITCHES.hotspots.help },
  watch: {
    type: 'string', multiple: true, arg: '[pid:N:]ADDR:LEN',
    help: 'every write to this range (up to 4096 bytes), same-value stores marked: tick, pc, task, old and new bytes;\nADDR physical, or with pid:N: virtual in process N (within one page): its writes while its\naddress space is live, followed through remaps, COW copies and first mappings (4 of the\nmachine\'s 16 watched ranges each)',
  },
  every: { type: 'string', arg: 'N', help: 'hot spots: ticks between samples (default 10000)' },
  strsize: { type: 'string', short: 's', arg: 'N', help: 'syscalls: bytes of each string or buffer printed (default 32)' },
  jobs: { type: 'string', short: 'j', arg: 'N', help: JOBS_HELP },
  output: { type: 'string', short: 'o', arg: 'DIR', help: 'write results and the cache to DIR (default FILE.analysis beside the recording)' },
  separate: { type: 'boolean', help: 'replay once per dimension instead of once for all (slower; for comparison)' },
  queue: { type: 'string', arg: 'redis://HOST:PORT', help: QUEUE_HELP },
  ...JIT_OPTIONS,
} as const satisfies OptionTable;

export const command: Command = {
  name: 'analyze',
  summary: 'run several analyses of a recording at once, on worker threads, cached',
  usage: commandUsage('prnr analyze FILE.prnr|URL [--syscalls] [--processes] [--console] [--hotspots] [--watch [pid:N:]ADDR:LEN] [--jobs N] [--queue redis://HOST:PORT] [-o DIR]', [
    'Replays every slice once with the hooks the chosen analyses need, feeding all of them, and',
    'verifies each slice against its state root; prints a progress line per analysis and writes each',
    'result with its provenance (recording digest, analysis, version, parameters) to',
    'FILE.analysis/<analysis>.json. Each slice\'s part is cached there: analysing the same recording',
    'again returns at once. With no analysis named, all but --watch run. With --queue the slices run as',
    'jobs on BullMQ, on prnr worker processes anywhere; the results are the same. A URL (a prnr serve',
    'share link, or any http(s) URL of a .prnr file) is fetched into a cache first (src/cli/remote.ts).',
    'To open the recording analysed in the browser, drop FILE.prnr and its FILE.analysis folder on the',
    'app\'s library page (or open the .prnr and the .json results with its file picker).',
  ], options),
  async run(argv) {
    const { values, positionals } = parseCommandArgs('analyze', argv, options, { positionals: true });
    if (values['no-jit']) useInterpreterOnly();
    if (positionals.length !== 1) throw new UsageError('analyze takes one recording file');
    const chosen = Object.keys(DIMENSION_SWITCHES).filter((d) => values[d as keyof typeof values] === true);
    const watches = (values.watch ?? []).map((w) => watchOption('watch', w, 4096));
    const dimensions = chosen.length > 0 || watches.length > 0 ? chosen : Object.keys(DIMENSION_SWITCHES);
    if (values.every !== undefined && !dimensions.includes('hotspots')) throw new UsageError('--every is a hot spots parameter: add --hotspots');
    if (values.strsize !== undefined && !dimensions.includes('syscalls')) throw new UsageError('-s is a syscalls parameter: add --syscalls');
    if (values.every !== undefined && !/^\d+$/.test(values.every)) throw new UsageError(`--every takes a tick count, got ${JSON.stringify(values.every)}`);
    const params: Record<string, DimensionRequest['params']> = {
      syscalls: { strsize: strsizeOption(values.strsize) },
      hotspots: values.every === undefined ? {} : { every: Number(values.every) },
    };
    const jobs = jobsOption(values.jobs);
    const queue = values.queue === undefined ? undefined : queueOption(values.queue);
    const file = await localRecordingFile(positionals[0]);
    const started = Date.now();
    const requests: DimensionRequest[] = [
      ...dimensions.map((d) => ({ dimension: d, params: params[d] ?? {} })),
      ...watches.map((w) => ({ dimension: 'watch', params: { addr: Number(w.addr), length: w.length, ...(w.pid === undefined ? {} : { pid: w.pid }) } })),
    ];
    // The parameters come from this command line: a bad one is a usage error.
    const runtime = createAnalysisRuntime();
    const labels = (() => {
      try {
        const described = requests.map((r) => runtime.describe(r));
        if (!values.separate) combineNeeds(described.map((d) => d.needs)); // more watched ranges than the machine has
        return described.map((d) => d.label);
      } catch (err) {
        throw new UsageError(errorMessage(err));
      }
    })();
    let progress: ProgressLines | undefined;
    const run = await runAnalyses({
      file,
      url: isRecordingUrl(positionals[0]) ? positionals[0] : undefined,
      jobs,
      dir: values.output,
      separate: values.separate,
      queue,
      onNote: (line) => process.stderr.write(`prnr: ${line}\n`),
      requests,
      onProgress: (p) => (progress ??= new ProgressLines(process.stdout, labels, p.total, started)).update(p),
    });
    progress?.done();
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const replayed = run.outcome.verified.length;
    const slices = run.rec.slices.length;
    console.log(replayed === 0
      ? `all ${slices} slices of every analysis from the cache in ${seconds} s`
      : `${run.outcome.replays} slice replays on ${run.workers} worker${run.workers === 1 ? '' : 's'}${queue ? ` of ${queue.url}` : ''}, every one verified, in ${seconds} s`);
    for (const d of run.outcome.dimensions) {
      const path = run.store.writeResult(d.description.label, d.provenance, d.result);
      const note = (d.result as { note?: string }).note;
      const summary = d.description.dimension === 'watch' ? watchSummary(d.result as WatchResult) : DIMENSION_SWITCHES[d.description.dimension].summary(d.result);
      console.log(`${d.description.dimension}: ${summary} -> ${path}${note ? `\n  note: ${note}` : ''}`);
    }
    console.log(`to open it analysed in the browser: drop ${file} and ${run.store.dir} on the app's library page`);
    return 0;
  },
};
