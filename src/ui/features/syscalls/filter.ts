// The syscalls view's filter (issue 12): by process (pid or tid, as
// `prnr trace -p`), syscall name, category, failed calls only and free text
// in the strace-like line. A million calls are filtered a chunk at a time
// between frames (FilterJob), so typing never blocks the page for long.
import type { TracedCall } from '../../../analysis/dimensions';
import { callLine, filterCalls, type TraceFilter } from '../../../analysis/trace';
import { categoryOf, type Category } from './categories';

export interface SyscallFilter {
  pid?: number;
  call?: string;
  cat?: Category;
  failed?: boolean;
  /** Free text, case-insensitive, in the line `prnr trace` prints. */
  q?: string;
}

export function isEmptyFilter(f: SyscallFilter): boolean {
  return f.pid === undefined && !f.call && !f.cat && !f.failed && !f.q;
}

/** The calls of `chunk` the filter keeps, in order. */
export function filterChunk(chunk: readonly TracedCall[], f: SyscallFilter): readonly TracedCall[] {
  const trace: TraceFilter = { names: f.call ? new Set([f.call]) : undefined, pids: f.pid !== undefined ? new Set([f.pid]) : undefined };
  let kept: readonly TracedCall[] = trace.names || trace.pids ? filterCalls(chunk, trace) : chunk;
  if (f.cat) kept = kept.filter((c) => categoryOf(c.record.name) === f.cat);
  if (f.failed) kept = kept.filter((c) => c.record.errno !== null);
  if (f.q) {
    const q = f.q.toLowerCase();
    kept = kept.filter((c) => callLine(c).toLowerCase().includes(q));
  }
  return kept;
}

export interface FilterProgress {
  /** The kept calls so far (the same array, growing, until done). */
  rows: readonly TracedCall[];
  count: number;
  scanned: number;
  done: boolean;
}

/** Time a chunk may take before the job yields to the page. */
const BUDGET_MS = 12;
const CHUNK = 4096;

/**
 * Filters `calls` a few thousand at a time, `onProgress` after each burst,
 * yielding between bursts (a macrotask, so the page paints and handles
 * input). `cancel()` stops it.
 */
export function startFilter(calls: readonly TracedCall[], f: SyscallFilter, onProgress: (p: FilterProgress) => void, schedule: (fn: () => void) => void = (fn) => setTimeout(fn, 0)): { cancel(): void } {
  if (isEmptyFilter(f)) {
    onProgress({ rows: calls, count: calls.length, scanned: calls.length, done: true });
    return { cancel() {} };
  }
  const rows: TracedCall[] = [];
  let at = 0;
  let cancelled = false;
  const burst = () => {
    if (cancelled) return;
    const until = performance.now() + BUDGET_MS;
    do {
      const kept = filterChunk(calls.slice(at, at + CHUNK), f);
      for (const c of kept) rows.push(c);
      at = Math.min(calls.length, at + CHUNK);
    } while (at < calls.length && performance.now() < until);
    onProgress({ rows, count: rows.length, scanned: at, done: at >= calls.length });
    if (at < calls.length) schedule(burst);
  };
  burst();
  return {
    cancel() {
      cancelled = true;
    },
  };
}
