// The timeline's tracks from the analyses (issue 12, ../timeline/tracks.ts):
// each running dimension's slices as they finish; one lane per process
// (running spans, fork, exec and exit marks, its parent on hover); the
// syscalls coloured by category with failures marked (hover: the line
// `prnr trace` prints); hot-spot density per slice; a memory watch's writes;
// the replayed console's writes with their text.
import type { ConsoleResult, ProcessInfo, TracedCall, WatchResult } from '../../../analysis/dimensions';
import { quote } from '../../../analysis/syscalls/format';
import { callLine } from '../../../analysis/trace';
import { toHex } from '../../../shared/sha256';
import { categoryOf } from '../syscalls/categories';
import type { TimelineMark, TimelineSpan, TimelineTrack } from '../timeline/tracks';
import type { HotSlice, ProcessData } from './analysis-data';
import type { DimensionRun } from './analysis-run';

/** A running dimension's slices: done ones filled, the rest outlined. */
export function progressTrack(run: DimensionRun, snapshotTicks: readonly bigint[]): TimelineTrack {
  const spans: TimelineSpan[] = [];
  for (let i = 0; i + 1 < snapshotTicks.length && i < run.total; i++) {
    spans.push({ from: snapshotTicks[i]!, to: snapshotTicks[i + 1]!, label: `slice ${i}`, title: `slice ${i}: ${run.done[i] ? 'analysed' : 'waiting'}`, kind: run.done[i] ? 'done' : 'progress', weight: run.done[i] ? 1 : 0.25 });
  }
  return { id: `progress-${run.description.label}`, label: `${run.description.label} ${run.doneCount}/${run.total}`, marks: [], spans };
}

export function syscallTrack(calls: readonly TracedCall[]): TimelineTrack {
  const marks = calls.map((c): TimelineMark => ({ tick: c.tick, kind: categoryOf(c.record.name), failed: c.record.errno !== null }));
  return { id: 'syscalls', label: `syscalls ${calls.length}`, labelTitle: 'coloured by category: file, process, memory, network, signal, time; failed calls underlined in red', marks, titleOf: (i) => callLine(calls[i]!) };
}

function processTitle(p: ProcessInfo, byPid: ReadonlyMap<number, ProcessInfo>): string {
  const parent = p.ppid === null ? 'parent unknown' : `parent ${p.ppid}${byPid.get(p.ppid) ? ` ${byPid.get(p.ppid)!.comms.at(-1)}` : ''}`;
  const exit = p.exit ? `exit ${p.exit.code ?? '?'} at ${p.exit.tick}` : 'still running';
  return `pid ${p.pid} ${p.comms.join(' → ')} · ${parent} · ticks ${p.firstTick}–${p.lastTick} · ${exit}`;
}

/** One lane per process (a thread group): its threads' runs, its fork, execs and exit. */
export function processTracks(data: ProcessData, pid: number | undefined): TimelineTrack[] {
  const lanes = new Map<number, { spans: TimelineSpan[]; marks: TimelineMark[]; comm: string }>();
  const lane = (p: number, comm: string) => {
    let l = lanes.get(p);
    if (!l) lanes.set(p, (l = { spans: [], marks: [], comm }));
    return l;
  };
  for (const r of data.runs) if (r.who) lane(r.who.pid, r.who.comm).spans.push({ from: r.start, to: r.end + 1n, label: r.who.comm, title: `${r.who.comm} (tid ${r.who.tid}) runs, ticks ${r.start}–${r.end}`, kind: 'running' });
  for (const f of data.forks) if (!f.thread) lane(f.child, f.parent?.comm ?? '?').marks.push({ tick: f.endTick, kind: 'fork', title: `forked by ${f.parent ? `${f.parent.pid} ${f.parent.comm}` : 'an unnamed task'} at tick ${f.endTick}` });
  for (const e of data.execs) if (e.who) lane(e.who.pid, e.who.comm).marks.push({ tick: e.tick, kind: 'exec', title: `execve(${e.path}, ${e.argv}) at tick ${e.tick}: ${e.before ?? '?'} → ${e.who.comm}` });
  for (const x of data.exits) if (x.who && x.group) lane(x.who.pid, x.who.comm).marks.push({ tick: x.tick, kind: 'exit', title: `exit_group(${x.code}) at tick ${x.tick}`, failed: x.code !== 0 });
  const byPid = new Map((data.processes ?? []).map((p) => [p.pid, p]));
  return [...lanes.entries()]
    .sort(([a], [b]) => a - b)
    .filter(([p]) => pid === undefined || p === pid || byPid.get(p)?.ppid === pid || byPid.get(pid)?.ppid === p)
    .map(([p, l]): TimelineTrack => {
      const info = byPid.get(p);
      const comm = info?.comms.at(-1) ?? l.comm;
      l.marks.sort((a, b) => (a.tick < b.tick ? -1 : a.tick > b.tick ? 1 : 0));
      l.spans.sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
      return { id: `process-${p}`, label: `${p} ${comm}`, labelTitle: info ? processTitle(info, byPid) : `pid ${p} ${comm}`, marks: l.marks, spans: l.spans };
    });
}

export function hotspotTrack(slices: readonly HotSlice[], snapshotTicks: readonly bigint[]): TimelineTrack {
  const spans = slices.flatMap((s, i): TimelineSpan[] =>
    s.samples && snapshotTicks[i + 1] !== undefined
      ? [{ from: snapshotTicks[i]!, to: snapshotTicks[i + 1]!, label: s.hottest, kind: 'hot', weight: 0.15 + 0.85 * s.busy, title: `slice ${i}: ${Math.round(s.busy * 100)}% of ${s.samples} samples busy; hottest ${s.hottest} (${Math.round(s.hottestShare * 100)}%)` }]
      : [],
  );
  return { id: 'hotspots', label: 'hot spots', labelTitle: 'per slice: how busy the hart was (brighter: busier), and its hottest place', marks: [], spans };
}

export function watchTrack(result: WatchResult): TimelineTrack {
  const marks = result.writes.map((w): TimelineMark => ({ tick: w.tick, kind: 'memory', title: `tick ${w.tick}: ${w.place} (${w.who ? `${w.who.pid} ${w.who.comm}` : w.where}) ${toHex(w.old)} → ${toHex(w.new)}` }));
  const range = `0x${result.addr.toString(16)}:${result.length}`;
  const space = result.pid === undefined ? 'physical' : `pid ${result.pid}'s virtual`;
  return { id: `watch-${result.pid ?? 'phys'}-${result.addr}`, label: `watch ${result.pid === undefined ? '' : `pid ${result.pid} `}${range}`, labelTitle: `writes to ${space} 0x${result.addr.toString(16)}, ${result.length} bytes`, marks };
}

/** The console as the replay wrote it: a mark per write, its text on hover. */
export function consoleTrack(result: ConsoleResult): TimelineTrack {
  const marks = result.chunks.map((c): TimelineMark => ({ tick: c.tick, kind: 'console', title: `tick ${c.tick}: ${consoleText(c.data)}` }));
  return { id: 'console-replayed', label: 'console (replayed)', labelTitle: `${result.chunks.length} writes, ${result.bytes} bytes, as the verified replay printed them`, marks };
}

/** A console write quoted as strace quotes strings, cut after 64 bytes. */
export function consoleText(data: Uint8Array): string {
  return data.length > CONSOLE_SHOWN ? `${quote(data.subarray(0, CONSOLE_SHOWN))}...` : quote(data);
}

const CONSOLE_SHOWN = 64;
