// `prnr seek --last-write / --last-write-vaddr / --last-change`: where a
// value came from (EngineApi.lastWrite, lastRegisterChange), printed for
// people. The search runs the watch analysis on worker threads, its partials
// cached beside the recording like prnr analyze's (FILE.analysis/), so the
// write before (the command printed for it) replays nothing twice.
import { createAnalysisRuntime } from '../analysis/runtime';
import { writeKindText, writerText } from '../analysis/write-text';
import type { LastWriteAnswer, RegisterChangeAnswer } from '../engine/engine-api';
import { AnalysisStore, defaultAnalysisDir } from '../engine/node/analysis-store';
import { Engine } from '../engine/engine';
import { nodeEngineHost } from '../engine/node/host';
import { nodeReplayWorkers } from '../engine/node/replay-pool';
import { hex64, hexdump } from '../shared/hexdump';
import { PRIV_NAMES } from '../shared/riscv';

const analysisWorker = new URL('./workers/analysis.worker.ts', import.meta.url);

/**
 * An engine that can search: the analyses, `jobs` workers, the cache beside
 * `file`. It has idle time as the app's engine does, so its workers are kept
 * from one batch of a search to the next (starting two costs seconds);
 * closing the recording stops them and the background work.
 */
export function searchingEngine(file: string, jobs: number): Engine {
  const host = nodeEngineHost({ analyses: { runtime: createAnalysisRuntime(), workers: nodeReplayWorkers(analysisWorker), cache: new AnalysisStore(defaultAnalysisDir(file)) }, replayJobs: jobs });
  return new Engine({
    ...host,
    idle: (ms, task) => {
      const timer = setTimeout(task, ms);
      return () => clearTimeout(timer);
    },
  });
}

/** The answer as lines; `again(tick)` is the command that asks for the write before. */
export function lastWriteLines(answer: LastWriteAnswer, tick: bigint, again: (tick: bigint) => string): string[] {
  const searched = `${answer.searched.length} slice${answer.searched.length === 1 ? '' : 's'} searched`;
  if (!answer.found) return [`${answer.message} (${searched})`];
  const w = answer.write;
  // A process's virtual range is shown at its virtual address, with where it was in physical memory then.
  const base = answer.vaddr ?? answer.paddr;
  const range = answer.vaddr === undefined ? `0x${answer.paddr.toString(16)}+${answer.length}` : `pid ${answer.pid}'s 0x${answer.vaddr.toString(16)}+${answer.length} (physical 0x${answer.paddr.toString(16)} then)`;
  return [
    `last write to ${range} at or before tick ${tick}: tick ${w.tick} (slice ${w.slice}, ${searched})`,
    `  pc ${hex64(w.pc)} ${w.place} in ${w.where}, ${writerText(w)}: ${writeKindText(w)}`,
    '  before:', ...hexdump(base, w.old).map((l) => `    ${l}`),
    '  after:', ...hexdump(base, w.new).map((l) => `    ${l}`),
    `  the write before: ${again(answer.before)}`,
  ];
}

export function registerChangeLines(answer: RegisterChangeAnswer, tick: bigint): string[] {
  if (!answer.found) return [answer.message];
  return [`last change of ${answer.reg} at or before tick ${tick}: tick ${answer.tick}, pc ${hex64(answer.pc)} (${PRIV_NAMES[answer.priv] ?? answer.priv}): ${hex64(answer.old)} -> ${hex64(answer.new)}`];
}
